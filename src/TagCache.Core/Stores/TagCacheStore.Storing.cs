using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// Storing: the one rule that decides whether a computed value (the store's own computation or an external one, a page)
/// is kept or discarded, writes that supersede running computations, and what the memory cache holds.
/// </summary>
internal sealed partial class TagCacheStore
{
    private void ThrowIfDeferred<T>(T value, object key, bool computed)
    {
        if (DeferredSequences.IsDeferred(value))
        {
            var message = $"The value for key {Telemetry.KeyText(key)} in cache '{Name}' is {DeferredSequences.Describe(value!)}. TagCache did not store it.";
            throw computed ? new InvalidOperationException(message) : new ArgumentException(message, nameof(value));
        }
    }

    /// <summary>Stores the flight's value by <see cref="StoreIfFresh{T}"/>, then completes the flight. Never throws.</summary>
    private void Succeed<T>(object key, Flight<T> flight, T value, TagCacheEntryOptions? options, SiteTelemetry site, ComputationScope computation)
    {
        Exception? fault = null;
        var stamps = Array.Empty<TagStamp>();
        DiscardReason? discarded = DiscardReason.TagsMoved;
        try
        {
            stamps = flight.Owner.SnapshotStamps();
            var poisoned = flight.Owner.IsPoisoned;
            if (!poisoned)
            {
                ThrowIfDeferred(value, key, computed: true);
            }

            lock (flight)
            {
                discarded = StoreIfFresh(key, value, stamps, poisoned, flight.Superseded, flight.SecondLevelLifetime ?? options?.Timeout, flight.Policy);
            }
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        var outcome = fault is not null ? ComputationOutcome.Failed : discarded is null ? ComputationOutcome.Stored : ComputationOutcome.Discarded;
        site.EndComputation(computation, outcome, flight.Joined, fault, flight.IsRefresh, flight.TimedOut);
        if (fault is null && discarded is { } reason)
        {
            Telemetry.Discarded(site, key, reason);
        }

        // Stored before leaving the map, so a caller that finds no flight finds the entry. A value discarded for being older
        // than an invalidation (not one a write superseded) is no answer for callers who joined late either.
        _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
        if (fault is null)
        {
            flight.Succeed(value, stamps, poisoned: discarded is not (null or DiscardReason.Superseded) || !CacheEntryBox.AreCurrent(stamps));
        }
        else
        {
            flight.Fail(fault, stamps, poisoned: true);
        }
    }

    /// <summary>Starts a computation that code outside the store runs and stores (see <see cref="ExternalComputation"/>).</summary>
    internal ExternalComputation BeginExternal(SiteTelemetry site, IReadOnlyCollection<string> tags)
    {
        ThrowIfDisposed();
        return new ExternalComputation(this, site, tags);
    }

    /// <summary>
    /// Stores an external computation's value by <see cref="StoreIfFresh{T}"/>, as a write (a later Set or Remove of the key
    /// wins, and it wins over a computation of the key already running); records the outcome.
    /// </summary>
    internal bool StoreExternal<T>(string key, T value, TimeSpan? timeout, Computation owner, SiteTelemetry site, ComputationScope scope)
    {
        ValidKey(key);
        owner.End();
        var stamps = owner.SnapshotStamps();
        DiscardReason? discarded = null;
        Exception? fault = null;
        try
        {
            // The framework renders and stores it itself: of the cache's resilience, only the jitter applies.
            Write(key, () => discarded = StoreIfFresh(key, value, stamps, owner.IsPoisoned, superseded: false, timeout, Resilience.StoreOnly));
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        site.EndComputation(scope, fault is not null ? ComputationOutcome.Failed : discarded is null ? ComputationOutcome.Stored : ComputationOutcome.Discarded, joins: 0, fault);
        if (fault is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }

        if (discarded is { } reason)
        {
            Telemetry.Discarded(site, key, reason);
        }

        return discarded is null;
    }

    /// <summary>
    /// The one rule for keeping a computed value, a flight's or an external computation's. It is discarded if it may depend
    /// on data older than an invalidation (poisoned: a late tag moved; or a stamp is no longer current: not worth the memory,
    /// while one whose tags move from here on is stored stale and never served), if a Set or Remove of its key returned while
    /// it ran (superseded), or while the versions may lack other nodes' invalidations. The caller holds what keeps
    /// "superseded" still: <c>lock (flight)</c>, or <see cref="Write"/>'s.
    /// </summary>
    /// <returns>Why the value was discarded; null when it was stored.</returns>
    private DiscardReason? StoreIfFresh<T>(object key, T value, TagStamp[] stamps, bool poisoned, bool superseded, TimeSpan? timeout, ResiliencePolicy policy)
    {
        var discarded = poisoned ? DiscardReason.TagsMoved
            : superseded ? DiscardReason.Superseded
            : !MayStore(stamps) ? DiscardReason.VersionsBehind
            : !CacheEntryBox.AreCurrent(stamps) ? DiscardReason.TagsMoved
            : (DiscardReason?)null;
        if (discarded is null)
        {
            Store(key, value, stamps, timeout, policy);
        }

        return discarded;
    }

    /// <summary>
    /// A tagged value is stored only while the versions are known to be recent (see <see cref="StalenessGate"/>): stamps
    /// taken from versions that lack another node's invalidations could not be trusted by the reads that follow.
    /// </summary>
    private bool MayStore(TagStamp[] stamps) => stamps.Length == 0 || _gate is null || _gate.IsOpen;

    /// <summary>
    /// Applies a Set or Remove so that it wins over any computation of the key already running: that flight is marked
    /// superseded (it will not store) and leaves the map (later readers do not join it), under the lock its store takes.
    /// </summary>
    private void Write(object key, Action write)
    {
        ThrowIfDisposed();
        if (!_flights.TryGetValue(key, out var flight))
        {
            write();
            return;
        }

        lock (flight)
        {
            flight.Supersede();
            _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
            write();
        }
    }

    /// <summary>Stores a value with its stamps: kept as a fallback (and due for refresh) under a policy that asks, with jitter.</summary>
    private void Store<T>(object key, T value, TagStamp[] stamps, TimeSpan? timeout, ResiliencePolicy policy)
    {
        var lifetime = WithJitter(timeout ?? _defaultTimeout, policy.Jitter);
        using var cacheEntry = _memory.CreateEntry(key);
        if (policy.KeepsEntries)
        {
            cacheEntry.Value = ResilientEntryBox.Create(value, stamps, lifetime, policy, _time, out var keepFor);
            _expiry.Keep(cacheEntry, keepFor);
        }
        else
        {
            cacheEntry.Value = _expiry.Apply(cacheEntry, value, stamps, lifetime);
        }

        if (_sized)
        {
            cacheEntry.Size = 1;
        }
    }
}
