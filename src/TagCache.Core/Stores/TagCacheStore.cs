using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>The default <see cref="ITagCache"/>: values in a <see cref="MemoryCache"/>, validity decided by tag stamps.</summary>
/// <remarks>
/// Every read that computes goes through one loop, <see cref="Next{T}"/>: hit, join the key's flight, or start one.
/// Synchronous and asynchronous callers differ only in how they run the factory and how they wait.
/// </remarks>
internal sealed partial class TagCacheStore : ITagCache, ILocalTagCache, ITagVersionObserver, IDisposable
{
    private readonly MemoryCache _memory;
    private readonly TimeSpan _defaultTimeout;
    private readonly bool _sized;
    private readonly StoreExpiry _expiry;
    private readonly StalenessGate? _gate;
    private readonly Func<object, string> _keyText;
    private readonly TimeProvider _time;
    private int _disposed;

    public TagCacheStore(string name, TimeSpan defaultTimeout, long? sizeLimit, TimeSpan reclaimInterval, ITagVersionStore versions, TimeProvider time, CacheTelemetry telemetry, TagCacheScopeOptions? scope = null, ResiliencePolicy? resilience = null, SecondLevel.ISecondLevelStore? secondLevel = null, SecondLevel.SecondLevelSettings? secondLevelSettings = null)
    {
        Name = name;
        Scope = scope;
        Resilience = resilience ?? ResiliencePolicy.None;
        _time = time;
        Versions = versions;
        Telemetry = telemetry;
        _defaultTimeout = defaultTimeout;
        _sized = sizeLimit is not null;
        _expiry = new StoreExpiry(time);
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit, Clock = _expiry.Clock });
        _reclaimer = new StaleEntryReclaimer(_memory, reclaimInterval, time, telemetry);
        _gate = versions.Gate;
        _keyText = telemetry.KeyText;
        versions.Observe(this);
        if (secondLevel is not null && secondLevelSettings is not null)
        {
            _secondLevel = new SecondLevel.SecondLevelCache(name, secondLevel, secondLevelSettings, versions, time, telemetry);
        }
    }

    public string Name { get; }

    /// <summary>Gets the resilience settings of this cache's entries (every cache's, then its own), which a method's or call's override.</summary>
    public ResiliencePolicy Resilience { get; }

    /// <summary>Gets how long entries live when the call says nothing.</summary>
    public TimeSpan DefaultTimeout => _defaultTimeout;

    /// <summary>Gets what this cache's entries vary by (or that they are shared across scopes); null when its options declare neither.</summary>
    public TagCacheScopeOptions? Scope { get; }

    internal CacheTelemetry Telemetry { get; }

    internal ITagVersionStore Versions { get; }

    internal MemoryCache Memory => _memory;

    public bool TryGet<T>(string key, out T value)
    {
        var lookup = LookCounted(ValidKey(key), options: null, out value);
        if (!lookup.IsServed())
        {
            Telemetry.Direct.Count(lookup);
            return false;
        }

        return true;
    }

    public SiteTelemetry SiteOf(string method) => Telemetry.SiteOf(method);

    /// <summary>
    /// A read that counts itself only when it is served (a hit, or a hit due for refresh), for adapters that go on to
    /// <see cref="GetOrSetAsync{T}(object, Func{CancellationToken, ValueTask{T}}, TagCacheEntryOptions?, CancellationToken)"/>
    /// on a miss, which counts the miss when it ends. Allocates nothing.
    /// </summary>
    internal Lookup TryServe<T>(string key, out T value) => LookCounted(ValidKey(key), options: null, out value);

    /// <summary>Looks a key, formatted on the caller's stack, up without counting the read: a hit, or why it missed.</summary>
    public Lookup Look(ReadOnlySpan<char> key, out object? value)
    {
        var lookup = Judge(_memory.TryGetValue(key, out var stored), stored, out value);
        if (lookup == Lookup.Stale && stored is CacheEntryBox { KeepWhenStale: false })
        {
            _memory.Remove(key.ToString());
        }

        return lookup;
    }

    /// <summary>Looks a key (a string, or a <see cref="CallKey"/>) up without counting the read: a hit, or why it missed.</summary>
    public Lookup Look(object key, out object? value)
    {
        var lookup = Judge(_memory.TryGetValue(key, out var stored), stored, out value);
        if (lookup == Lookup.Stale && stored is CacheEntryBox { KeepWhenStale: false })
        {
            _memory.Remove(key);
        }

        return lookup;
    }

    /// <summary>
    /// Decides whether what the memory cache holds (if it holds anything for the key) is a hit, or why it is not; a stale
    /// entry is the caller's to remove, since only the caller has its key in the form the memory cache removes by.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lookup Judge(bool found, object? stored, out object? value)
    {
        if (!found)
        {
            value = null;
            return Lookup.Absent;
        }

        if (stored is not CacheEntryBox box)
        {
            // Entries without tags are stored bare: nothing can make them stale but expiry, which the memory cache checks.
            value = stored;
            return Lookup.Hit;
        }

        if (_gate is { IsOpen: false } && box.DependsOnTags)
        {
            // The versions may lack invalidations made elsewhere: compute fresh rather than trust the stamps.
            value = null;
            return Lookup.Bypassed;
        }

        if (box is ResilientEntryBox resilient)
        {
            var lookup = resilient.Look();
            if (!lookup.IsServed())
            {
                value = null;
                return lookup;
            }

            // A throttled fallback allowed after an invalidation may carry stale stamps: what depends on it is never stored.
            Computation.Current?.Inherit(box.Stamps, poisoned: false);
            value = box.Value;
            return lookup;
        }

        if (box.StampsAreCurrent())
        {
            Computation.Current?.Inherit(box.Stamps, poisoned: false);
            value = box.Value;
            return Lookup.Hit;
        }

        // Stale (or past its own deadline): free it now rather than at the next reclaim pass or compaction.
        value = null;
        return box.HasExpired ? Lookup.Absent : Lookup.Stale;
    }

    /// <summary>
    /// Looks a key up without needing it as a string and without counting the read: the loop's own lookups. A served read
    /// is a hit, or a throttled fallback (<paramref name="fallback"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGet<T>(object key, out T value, out bool fallback)
    {
        var lookup = Look(key, out var stored);
        if (lookup.IsServed())
        {
            value = KeyTypes.Cast<T>(stored, _keyText, key);
            fallback = lookup == Lookup.Fallback;
            return true;
        }

        value = default!;
        fallback = false;
        return false;
    }

    /// <summary>
    /// A caller's first lookup. A served read is counted now, unless the interceptor counted it already (its options carry
    /// our site); a miss is counted when the request ends, as what answered it (see <see cref="CountEnd"/>).
    /// </summary>
    private Lookup LookCounted<T>(object key, TagCacheEntryOptions? options, out T value)
    {
        var lookup = Look(key, out var stored);
        if (!lookup.IsServed())
        {
            value = default!;
            return lookup;
        }

        if (!CountedByCaller(options))
        {
            SiteFor(options).Count(lookup);
        }

        value = KeyTypes.Cast<T>(stored, _keyText, key);
        return lookup;
    }

    /// <summary>
    /// Counts a request that missed once it ends, as what answered it: a fallback, or a miss for its first lookup's reason.
    /// The interceptor counts its own requests; it learns of a fallback through its options, which are its own per call.
    /// </summary>
    private void CountEnd(TagCacheEntryOptions? options, Lookup first, FallbackReason? served, bool fromSecondLevel = false)
    {
        if (CountedByCaller(options))
        {
            options!.Served = served;
            options.FromSecondLevel = fromSecondLevel;
        }
        else
        {
            SiteFor(options).Count(first, served, fromSecondLevel);
        }
    }

    /// <summary>The settings of a call: the interceptor's, resolved per method, or the call's own over the cache's.</summary>
    /// <exception cref="ArgumentException">The call's settings contradict each other or the entry's timeout.</exception>
    private ResiliencePolicy PolicyOf(TagCacheEntryOptions? options)
    {
        if (options is null)
        {
            return Resilience;
        }

        if (options.Policy is { } resolved)
        {
            return resolved;
        }

        if (options.ResilienceIfSet is not { IsEmpty: false } own)
        {
            return Resilience;
        }

        var policy = Resilience.Over(own);
        foreach (var problem in policy.FindProblems(options.Timeout ?? _defaultTimeout))
        {
            throw new ArgumentException($"The entry options' Resilience (over cache '{Name}''s): {problem}", nameof(options));
        }

        return policy;
    }

    private bool CountedByCaller(TagCacheEntryOptions? options) => options?.Site is { } site && ReferenceEquals(site.Owner, Telemetry);

    private SiteTelemetry SiteFor(TagCacheEntryOptions? options) =>
        CountedByCaller(options) ? options!.Site! : Telemetry.SiteOf(options?.Method);

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null)
    {
        ValidKey(key);
        ThrowIfDeferred(value, key, computed: false);
        var secondLevel = SecondLevelFor(options);
        var start = secondLevel?.Start();
        var policy = PolicyOf(options);
        var tags = options?.Tags ?? [];
        var stamps = tags.Count == 0 ? [] : new TagStamp[tags.Count];
        var i = 0;
        foreach (var tag in tags)
        {
            stamps[i++] = TagStamp.Take(Versions.Acquire(TagNames.Valid(tag)));
        }

        Write(key, () =>
        {
            // Like a computed value: while the versions may lack other nodes' invalidations (a node that has not caught up
            // since it started, say), a tagged value is not kept, and the value it replaces goes too.
            if (MayStore(stamps))
            {
                Store(key, value, stamps, options?.Timeout, policy);
            }
            else
            {
                _memory.Remove(key);
            }
        });

        // Shared like a computed value (after it: a node that reads it next finds it), or the older shared value goes.
        if (secondLevel is not null)
        {
            Wait(start is { } stamp && MayStore(stamps) && CacheEntryBox.AreCurrent(stamps)
                ? secondLevel.WriteAsync(key, value, stamp, stamps, options?.Timeout ?? _defaultTimeout, method: null, CancellationToken.None)
                : secondLevel.RemoveAsync(key));
        }
    }

    public void Remove(string key)
    {
        ValidKey(key);
        Write(key, () => _memory.Remove(key));
        if (_secondLevel is not null)
        {
            Wait(_secondLevel.RemoveAsync(key));
        }
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lookup = LookCounted(ValidKey(key), options, out T value);
        if (lookup == Lookup.RefreshDue)
        {
            Refresh(key, options, token => factory());
        }

        return lookup.IsServed() ? value : GetOrSet(key, _ => factory(), options, CancellationToken.None, lookup);
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        GetOrSetAsync((object)key, factory, options, cancellationToken);

    /// <summary><see cref="GetOrSetAsync{T}(string, Func{CancellationToken, ValueTask{T}}, TagCacheEntryOptions?, CancellationToken)"/> for a string or a <see cref="CallKey"/>.</summary>
    public ValueTask<T> GetOrSetAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lookup = LookCounted(ValidKey(key), options, out T value);
        if (lookup == Lookup.RefreshDue)
        {
            Refresh(key, options, factory);
        }

        return lookup.IsServed() ? ValueTask.FromResult(value) : GetOrSetSlowAsync(key, factory, options, cancellationToken, first: null, lookup);
    }

    /// <summary>Disposes the memory cache and fails every flight still running, so no caller waits for a cache that is gone.</summary>
    public void Dispose()
    {
        // A full fence: a flight added after this is seen by Next's check below, one added before by AbortFlights.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AbortFlights();
        _secondLevel?.Dispose();
        _reclaimer.Dispose();
        _memory.Dispose();
    }

    private static string ValidKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key;
    }

    private static object ValidKey(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key is string text ? ValidKey(text) : key;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
}
