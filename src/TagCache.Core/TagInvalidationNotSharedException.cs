namespace TagCache;

/// <summary>
/// Thrown by an invalidation that was applied on this node but could not be written to the shared log (PostgreSQL or Redis
/// could not be reached, or the write timed out or was cancelled), so other nodes may not have been told. They keep serving
/// the entries these tags stamp until they expire. Retry the invalidation once the store is back, or let a later
/// invalidation of the same tags reach them.
/// </summary>
public sealed class TagInvalidationNotSharedException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TagInvalidationNotSharedException"/> class.</summary>
    public TagInvalidationNotSharedException()
        : this("A TagCache invalidation was applied on this node only.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TagInvalidationNotSharedException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public TagInvalidationNotSharedException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TagInvalidationNotSharedException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TagInvalidationNotSharedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="cache">The cache whose tags were invalidated.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="engine">Where the shared log lives, as a message names it ("PostgreSQL").</param>
    /// <param name="cause">Why the log could not be written.</param>
    /// <param name="includeTags">Whether the message may list the tags (<see cref="TagCacheTelemetryOptions.IncludeSensitiveData"/>); <see cref="Tags"/> has them either way.</param>
    internal TagInvalidationNotSharedException(string cache, IReadOnlyList<string> tags, string engine, Exception cause, bool includeTags)
        : base(
            $"TagCache invalidated {Describe(tags, includeTags)} in cache '{cache}' on this node only: writing them to the shared invalidation log in {engine} failed " +
            $"({cause.GetType().Name}: {cause.Message}), so other nodes were not told and keep serving what these tags stamp until it expires. " +
            "Retry the invalidation once it is reachable.",
            cause)
    {
        Cache = cache;
        Tags = [.. tags];
    }

    /// <summary>Gets the cache whose tags were invalidated on this node only.</summary>
    public string Cache { get; } = string.Empty;

    /// <summary>Gets the tags invalidated on this node only.</summary>
    public IReadOnlyList<string> Tags { get; } = [];

    private static string Describe(IReadOnlyList<string> tags, bool includeTags) =>
        !includeTags
            ? $"{tags.Count} tag{(tags.Count == 1 ? string.Empty : "s")} (listed in the exception's Tags; set options.Telemetry.IncludeSensitiveData to see them here)"
            : tags.Count <= 10
            ? $"the tag{(tags.Count == 1 ? string.Empty : "s")} {string.Join(", ", tags.Select(t => $"'{t}'"))}"
            : $"{tags.Count} tags ({string.Join(", ", tags.Take(10).Select(t => $"'{t}'"))}, …)";
}
