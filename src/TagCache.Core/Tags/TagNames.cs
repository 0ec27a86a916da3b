namespace TagCache.Tags;

/// <summary>The one rule for tag names, applied by every entry point: a tag is a non-empty string.</summary>
internal static class TagNames
{
    public const string InvalidMessage = "A tag must not be null or empty.";

    /// <summary>The tag every entry carries implicitly: invalidating it (HybridCache's <c>RemoveByTagAsync("*")</c>) removes everything.</summary>
    public const string Everything = "*";

    public static string Valid(string? tag, string parameterName = "tags") =>
        string.IsNullOrEmpty(tag) ? throw new ArgumentException(InvalidMessage, parameterName) : tag;

    /// <summary>Checks every tag before any is applied, so a bad tag never leaves an invalidation half done.</summary>
    public static IReadOnlyList<string> ValidList(IEnumerable<string?> tags, string parameterName = "tags")
    {
        ArgumentNullException.ThrowIfNull(tags, parameterName);
        var list = tags as IReadOnlyList<string?> ?? [.. tags];
        for (var i = 0; i < list.Count; i++)
        {
            Valid(list[i], parameterName);
        }

        return list!;
    }
}
