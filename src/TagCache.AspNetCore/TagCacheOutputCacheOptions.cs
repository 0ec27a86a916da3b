namespace TagCache.AspNetCore;

/// <summary>How pages and fragments are cached in TagCache; set with <c>AddTagCacheOutputCache</c>.</summary>
public sealed class TagCacheOutputCacheOptions
{
    /// <summary>
    /// Gets or sets the TagCache that holds pages and fragments; <see cref="TagCacheOptions.DefaultCacheName"/> by default.
    /// Tag versions belong to a cache, so a page is evicted by <c>[InvalidateTags]</c> on services of the same cache; cached
    /// calls of other caches still tag it, through their own versions.
    /// </summary>
    public string Cache { get; set; } = TagCacheOptions.DefaultCacheName;

    /// <summary>
    /// Gets or sets the response header that says whether a tag-cached page was served from the cache (<c>hit</c>) or
    /// rendered (<c>miss</c>), e.g. <c>X-Cache</c>; <see langword="null"/> (the default) writes none.
    /// </summary>
    public string? StatusHeader { get; set; }
}
