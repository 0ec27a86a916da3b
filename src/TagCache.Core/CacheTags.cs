using TagCache.Stores;

namespace TagCache;

/// <summary>Adds tags to the entry being computed, like <c>{% cache_tags_append %}</c> inside a cached block.</summary>
public static class CacheTags
{
    /// <summary>
    /// Adds <paramref name="tags"/> to the entry whose factory (or cached method) is running on this logical call
    /// context; the ambient computation flows across <see langword="await"/>. If a tag was invalidated after the
    /// computation started, the value is returned but not stored.
    /// </summary>
    /// <param name="tags">Tags to add; none may be null or empty.</param>
    /// <exception cref="InvalidOperationException">No cached computation is running here, so the tags would be lost.</exception>
    public static void Append(params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var computation = Computation.Current ?? throw new InvalidOperationException(
            "CacheTags.Append was called outside a cached computation, so the tags would apply to nothing. " +
            "Call it from inside a [CacheWithTags] method or a GetOrSet/GetOrSetAsync factory.");
        foreach (var tag in tags)
        {
            computation.AddLateTag(tag);
        }
    }

    /// <summary>Gets a value indicating whether a cached computation is running here, so <see cref="Append"/> would apply.</summary>
    public static bool IsComputing => Computation.Current is not null;
}
