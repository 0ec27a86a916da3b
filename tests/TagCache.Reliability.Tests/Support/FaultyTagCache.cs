using TagCache.Stores;

namespace TagCache.Reliability.Tests.Support;

/// <summary>The failure of a cache's infrastructure (its server is down, say), as opposed to an error of the cached method.</summary>
public sealed class CacheUnavailableException : Exception
{
    public CacheUnavailableException()
        : base("The cache server is unreachable.")
    {
    }

    public CacheUnavailableException(string message)
        : base(message)
    {
    }

    public CacheUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Where a <see cref="FaultyTagCache"/> fails.</summary>
[Flags]
public enum CacheFaults
{
    None = 0,

    /// <summary>Reads (TryGet, and GetOrSet before it calls the factory) throw synchronously.</summary>
    Read = 1,

    /// <summary>GetOrSetAsync returns a faulted task instead of calling the factory.</summary>
    ReadAsync = 2,

    /// <summary>GetOrSet calls the factory, then fails to store.</summary>
    Store = 4,

    /// <summary>InvalidateTags and InvalidateTagsAsync throw.</summary>
    Invalidate = 8,
}

/// <summary>A cache over the real store whose operations fail as configured.</summary>
public sealed class FaultyTagCache(CacheFaults faults) : ITagCache, IDisposable
{
    private readonly ITagCacheProvider _provider = TagCacheFactory.Create();

    public CacheUnavailableException Fault { get; } = new();

    private TagCacheStore Inner => ((TagCacheProvider)_provider).GetStore(TagCacheOptions.DefaultCacheName);

    public bool TryGet<T>(string key, out T value) =>
        faults.HasFlag(CacheFaults.Read) ? throw Fault : Inner.TryGet(key, out value);

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null)
    {
        if (faults.HasFlag(CacheFaults.Store))
        {
            throw Fault;
        }

        Inner.Set(key, value, options);
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        if (faults.HasFlag(CacheFaults.Read))
        {
            throw Fault;
        }

        var value = Inner.GetOrSet(key, factory, options);
        return faults.HasFlag(CacheFaults.Store) ? throw Fault : value;
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (faults.HasFlag(CacheFaults.Read))
        {
            throw Fault;
        }

        if (faults.HasFlag(CacheFaults.ReadAsync))
        {
            return ValueTask.FromException<T>(Fault);
        }

        return faults.HasFlag(CacheFaults.Store) ? StoreFailingAsync(key, factory, options, cancellationToken) : Inner.GetOrSetAsync(key, factory, options, cancellationToken);
    }

    public void Remove(string key) => Inner.Remove(key);

    public void InvalidateTags(params string[] tags)
    {
        if (faults.HasFlag(CacheFaults.Invalidate))
        {
            throw Fault;
        }

        Inner.InvalidateTags(tags);
    }

    public ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        faults.HasFlag(CacheFaults.Invalidate) ? ValueTask.FromException(Fault) : Inner.InvalidateTagsAsync(tags, cancellationToken);

    public void Dispose() => ((IDisposable)_provider).Dispose();

    private async ValueTask<T> StoreFailingAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        _ = await Inner.GetOrSetAsync(key, factory, options, cancellationToken).ConfigureAwait(false);
        throw Fault;
    }
}
