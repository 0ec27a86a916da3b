using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// A value computed outside the store's read-through by code that stores it itself afterwards: a web response that
/// ASP.NET Core's output caching renders, then hands to its store. It records dependencies as a factory call does (its
/// tags stamped at the start; cached calls and <see cref="CacheTags.Append"/> inside it add theirs) and is stored under
/// the same race rule, but has no flight: the framework coalesces its own callers.
/// </summary>
internal sealed class ExternalComputation : IDisposable
{
    private readonly TagCacheStore _store;
    private readonly ComputationScope _scope;
    private int _finished;

    /// <summary>Stamps <paramref name="tags"/> now and starts timing (and tracing) the computation.</summary>
    internal ExternalComputation(TagCacheStore store, SiteTelemetry site, IReadOnlyCollection<string> tags)
    {
        _store = store;
        Site = site;
        Owner = new Computation(store.Versions, tags);
        _scope = site.StartComputation(site.Description);
    }

    /// <summary>Gets the call site the computation is counted under.</summary>
    public SiteTelemetry Site { get; }

    internal Computation Owner { get; }

    /// <summary>
    /// Gets a value indicating whether the value could still be stored: no tag it depends on has moved since the start
    /// (or since the tag was learned).
    /// </summary>
    public bool IsCurrent => !Owner.IsPoisoned && CacheEntryBox.AreCurrent(Owner.SnapshotStamps());

    /// <summary>
    /// Makes this the ambient computation of the calling context, so cached calls and <see cref="CacheTags.Append"/> made
    /// from it on add their tags. The caller must not be an <see langword="async"/> method, or the change ends with it.
    /// </summary>
    public void Enter() => Owner.Enter();

    /// <summary>Adds tags learned after the start; one invalidated since the start keeps the value from being stored.</summary>
    public void AddTags(IEnumerable<string> tags)
    {
        foreach (var tag in tags)
        {
            Owner.AddLateTag(tag);
        }
    }

    /// <summary>Ends the computation and stores the value if every tag it depends on is still current.</summary>
    /// <returns>Whether it was stored; false also when it had ended already.</returns>
    public bool TryStore<T>(string key, T value, TimeSpan? timeout) =>
        Interlocked.Exchange(ref _finished, 1) == 0 && _store.StoreExternal(key, value, timeout, Owner, Site, _scope);

    /// <summary>Ends a computation that was not stored (served from the cache, or not cacheable after all): recorded as nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 0)
        {
            Owner.End();
            _scope.Activity?.Dispose();
        }
    }
}
