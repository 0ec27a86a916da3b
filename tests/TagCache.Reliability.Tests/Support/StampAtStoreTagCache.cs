using TagCache.Stores;

namespace TagCache.Reliability.Tests.Support;

/// <summary>
/// A deliberately broken cache: it collects an entry's tags like the real store (so nested calls, appended and result
/// tags still work) but stamps their versions when it stores the value, not before computing it, and ignores
/// invalidations that happened meanwhile. A pause between computing and storing widens that window, so the stale-read
/// checker has something to catch.
/// </summary>
public sealed class StampAtStoreTagCache(TimeSpan pauseBeforeStore) : ITagCache, IDisposable
{
    private readonly ITagCacheProvider _provider = TagCacheFactory.Create();

    private TagCacheStore Inner => ((TagCacheProvider)_provider).GetStore(TagCacheOptions.DefaultCacheName);

    public bool TryGet<T>(string key, out T value) => Inner.TryGet(key, out value);

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null) => Inner.Set(key, value, options);

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        if (Inner.TryGet(key, out T cached))
        {
            return cached;
        }

        var computation = new Computation(Inner.Versions, []);
        var previous = computation.Enter();
        T value;
        try
        {
            value = factory();
        }
        finally
        {
            computation.End();
            Computation.Restore(previous);
        }

        Thread.Sleep(pauseBeforeStore);
        Store(key, value, options, computation);
        return value;
    }

    public async ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (Inner.TryGet(key, out T cached))
        {
            return cached;
        }

        // Set inside this async method, so it flows into the factory but never back to the caller.
        var computation = new Computation(Inner.Versions, []);
        var previous = computation.Enter();
        var value = await factory(cancellationToken).ConfigureAwait(false);
        computation.End();
        Computation.Restore(previous);
        await Task.Delay(pauseBeforeStore, cancellationToken).ConfigureAwait(false);
        Store(key, value, options, computation);
        return value;
    }

    public void Remove(string key) => Inner.Remove(key);

    public void InvalidateTags(params string[] tags) => Inner.InvalidateTags(tags);

    public ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        Inner.InvalidateTagsAsync(tags, cancellationToken);

    public void Dispose() => ((IDisposable)_provider).Dispose();

    private void Store<T>(string key, T value, TagCacheEntryOptions? options, Computation computation)
    {
        var tags = new HashSet<string>(options?.Tags ?? [], StringComparer.Ordinal);
        if (options?.ResultTags is { } resultTags)
        {
            tags.UnionWith(resultTags(value));
        }

        foreach (var stamp in computation.SnapshotStamps())
        {
            tags.Add(stamp.State.Name);
        }

        // The bug under test: versions read now, after the value was computed from older data.
        Inner.Set(key, value, new TagCacheEntryOptions { Tags = tags, Timeout = options?.Timeout });

        // A hit inside an enclosing computation hands it this entry's tags, as the real store would.
        _ = Inner.TryGet(key, out T _);
    }
}
