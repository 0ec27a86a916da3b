namespace TagCache.Testing;

/// <summary>
/// A third-party <see cref="ITagCache"/>: it wraps another cache and uses nothing but the public contract, counting what
/// it is asked, so a test can tell the interceptor went through it.
/// </summary>
public sealed class DecoratingTagCache(ITagCache inner) : ITagCache
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public bool TryGet<T>(string key, out T value)
    {
        Interlocked.Increment(ref _calls);
        return inner.TryGet(key, out value);
    }

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null)
    {
        Interlocked.Increment(ref _calls);
        inner.Set(key, value, options);
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        Interlocked.Increment(ref _calls);
        return inner.GetOrSet(key, factory, options);
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.GetOrSetAsync(key, factory, options, cancellationToken);
    }

    public void Remove(string key)
    {
        Interlocked.Increment(ref _calls);
        inner.Remove(key);
    }

    public void InvalidateTags(params string[] tags)
    {
        Interlocked.Increment(ref _calls);
        inner.InvalidateTags(tags);
    }

    public ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return inner.InvalidateTagsAsync(tags, cancellationToken);
    }
}

/// <summary>Hands out a <see cref="DecoratingTagCache"/> around each of TagCache's own caches.</summary>
public sealed class DecoratingTagCacheProvider(ITagCacheProvider inner) : ITagCacheProvider
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DecoratingTagCache> _caches = new(StringComparer.Ordinal);

    public int Calls => _caches.Values.Sum(c => c.Calls);

    public ITagCache GetCache(string name) => _caches.GetOrAdd(name, n => new DecoratingTagCache(inner.GetCache(n)));
}
