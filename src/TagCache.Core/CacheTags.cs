using TagCache.Stores;
using TagCache.Tags;

namespace TagCache;

/// <summary>Adds tags to the entry being computed, like <c>{% cache_tags_append %}</c> inside a cached block, and formats tags like templates do.</summary>
public static class CacheTags
{
    /// <summary>
    /// Adds <paramref name="tags"/> to the entry whose factory (or cached method) is running on this logical call
    /// context; the ambient computation flows across <see langword="await"/> and ends when the method returns. If a tag
    /// was invalidated after the computation started, the value is returned but not stored.
    /// </summary>
    /// <param name="tags">Tags to add; none may be null or empty (all are checked before any is added).</param>
    /// <exception cref="InvalidOperationException">No cached computation is running here, so the tags would be lost.</exception>
    /// <exception cref="ArgumentException">A tag is null or empty.</exception>
    public static void Append(params string[] tags)
    {
        var valid = TagNames.ValidList(tags);
        var computation = Computation.Current ?? throw new InvalidOperationException(
            "CacheTags.Append was called outside a cached computation, so the tags would apply to nothing. " +
            "Call it from inside a [CacheWithTags] method or a GetOrSet/GetOrSetAsync factory.");
        foreach (var tag in valid)
        {
            computation.AddLateTag(tag);
        }
    }

    /// <summary>Gets a value indicating whether a cached computation is running here, so <see cref="Append"/> would apply.</summary>
    public static bool IsComputing => Computation.Current is not null;

    /// <summary>
    /// Formats a tag exactly as a template does, for tags written by hand (<c>InvalidateTags</c>, <c>InvalidateOn</c>,
    /// <c>Append</c>): invariant culture, round-trip formats (<c>O</c> for dates, <c>R</c> for binary floating point), enum
    /// names, <c>[a,b]</c> for sequences and <c>∅</c> for null. <c>CacheTags.Format($"Day_{date}")</c> matches the tag
    /// that <c>[CacheWithTags("Day_{date}")]</c> stamps; <c>$"Day_{date}"</c> alone would use the current culture.
    /// </summary>
    /// <param name="tag">An interpolated string; format specifiers and alignment are not accepted, as in templates.</param>
    /// <returns>The tag.</returns>
    /// <exception cref="ArgumentException">A value's type has no stable formatting (a class of your own): format one of its members instead.</exception>
    public static string Format(ref TagInterpolatedStringHandler tag) => tag.ToStringAndClear();
}
