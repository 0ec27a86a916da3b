namespace TagCache;

/// <summary>
/// A cache whose entries carry tags. Invalidating a tag makes every entry carrying it stale at once,
/// at a cost that does not depend on how many entries carry it.
/// </summary>
public interface ITagCache
{
    /// <summary>Gets the value stored under <paramref name="key"/> if it exists, has not expired and none of its tags was invalidated.</summary>
    /// <typeparam name="T">The type the value was stored as.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The cached value on a hit; otherwise the default of <typeparamref name="T"/>.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    bool TryGet<T>(string key, out T value);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>, stamped with the current version of each tag in <paramref name="options"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="value">The value to store.</param>
    /// <param name="options">Tags and timeout; <see langword="null"/> means no tags and the cache's default timeout.</param>
    void Set<T>(string key, T value, TagCacheEntryOptions? options = null);

    /// <summary>
    /// Returns the cached value or computes it once for all concurrent callers of the same key. The value is stored only
    /// if none of its tags (including tags appended with <see cref="CacheTags.Append"/> during the computation) was
    /// invalidated while it was being computed. Exceptions are never cached.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="factory">Computes the value on a miss.</param>
    /// <param name="options">Tags and timeout; <see langword="null"/> means no tags and the cache's default timeout.</param>
    /// <returns>The cached or computed value.</returns>
    T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null);

    /// <summary>
    /// Asynchronous <see cref="GetOrSet{T}"/>. Concurrent callers of one key share one computation; a caller's
    /// cancellation abandons only its own wait, and the computation is cancelled only when every caller has left.
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The cache key.</param>
    /// <param name="factory">Computes the value on a miss; its token is cancelled when no caller waits any more.</param>
    /// <param name="options">Tags and timeout; <see langword="null"/> means no tags and the cache's default timeout.</param>
    /// <param name="cancellationToken">Cancels this caller's wait.</param>
    /// <returns>The cached or computed value.</returns>
    ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry stored under <paramref name="key"/>, if any.</summary>
    /// <param name="key">The cache key.</param>
    void Remove(string key);

    /// <summary>Makes every entry carrying any of <paramref name="tags"/> stale. When this returns, no read serves such an entry.</summary>
    /// <param name="tags">The tags to invalidate.</param>
    void InvalidateTags(params string[] tags);

    /// <summary>Asynchronous <see cref="InvalidateTags"/>, for version stores that live on another machine.</summary>
    /// <param name="tags">The tags to invalidate.</param>
    /// <param name="cancellationToken">Cancels the invalidation before it is applied.</param>
    /// <returns>A task that completes once no read can serve an entry carrying the tags.</returns>
    ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default);
}
