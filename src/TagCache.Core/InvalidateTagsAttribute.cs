namespace TagCache;

/// <summary>
/// Invalidates the given tags after the method (or the task it returns) completes successfully. Tags are templates
/// over the parameters, e.g. <c>Product_{id}</c> or <c>Product_{e.ProductId}</c> on an event handler.
/// </summary>
/// <param name="tags">Tag templates.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class InvalidateTagsAttribute(params string[] tags) : Attribute
{
    /// <summary>Gets the tag templates.</summary>
    public IReadOnlyList<string> Tags { get; } = tags ?? [];

    /// <summary>Gets or sets the name of the cache whose tags are invalidated.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="TagCacheOptions.DefaultCacheName"/>.</value>
    public string? Cache { get; set; }
}
