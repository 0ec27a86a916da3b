using Microsoft.Extensions.Caching.Memory;
using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// Resilience: fallbacks for computations that fail or are slow (fail-safe, timeouts), throttled so a failing source is
/// not called on every read, and background refreshes of entries near their end (eager refresh). A fallback is the last
/// good value of its key, never (unless the policy opts in) one an invalidation declared stale.
/// </summary>
internal sealed partial class TagCacheStore
{
    /// <summary>Gets a value indicating whether the tag versions are recent enough to tell a stale value from a current one.</summary>
    private bool VersionsRecent => _gate is null || _gate.IsOpen;

    /// <summary>
    /// Starts one background refresh of an entry a read found past its eager-refresh threshold, unless another read started
    /// it or a computation of the key runs already. It is a flight like any other (callers that miss meanwhile join it, it
    /// stores under the race rule, the cache's disposal cancels it), but nobody's dependency: it runs on the thread pool,
    /// outside the reader's computation and wait-for edges.
    /// </summary>
    /// <param name="key">A key of its own (not a probe).</param>
    /// <param name="options">The options of the read that found it due, whose tags and settings the refresh uses.</param>
    /// <param name="factory">Computes the value, with the flight's token.</param>
    public void Refresh<T>(object key, TagCacheEntryOptions? options, Func<CancellationToken, ValueTask<T>> factory) =>
        StartRefresh<T>(key, options, (flight, site) => RunAsync(key, flight, factory, options, site, parent: null));

    /// <inheritdoc cref="Refresh{T}(object, TagCacheEntryOptions?, Func{CancellationToken, ValueTask{T}})"/>
    public void Refresh<T>(object key, TagCacheEntryOptions? options, Func<CancellationToken, T> factory) =>
        StartRefresh<T>(key, options, (flight, site) =>
        {
            RunInline(key, flight, factory, options, site, parent: null, CancellationToken.None);
            return Task.CompletedTask;
        });

    private void StartRefresh<T>(object key, TagCacheEntryOptions? options, Func<Flight<T>, SiteTelemetry, Task> run)
    {
        if (Volatile.Read(ref _disposed) == 1 || !_memory.TryGetValue(key, out var stored) || stored is not ResilientEntryBox box || !box.TryClaimRefresh() || _flights.ContainsKey(key))
        {
            return;
        }

        Flight<T> flight;
        try
        {
            flight = new Flight<T>(key, new Computation(Versions, options?.Tags ?? []), PolicyOf(options), refresh: true);
        }
        catch (ArgumentException)
        {
            // Tags or settings the read itself was not stopped by cannot stop it now: the entry expires as without a refresh.
            return;
        }

        if (!_flights.TryAdd(key, flight))
        {
            return;
        }

        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _disposed) == 1)
        {
            _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
            return;
        }

        var site = SiteFor(options);
        _ = Task.Run(() => run(flight, site));
    }

    /// <summary>
    /// After a computation failed: the last good value of its key, if the flight's policy lets it answer, stored again as a
    /// throttled fallback (unless a write superseded the flight) so reads answer without calling the source for a while.
    /// Each caller then takes it if its own policy accepts it (<see cref="TryTake{T}"/>). Never throws: it runs while the
    /// flight completes.
    /// </summary>
    private ResilientEntryBox? AfterFailure(object key, Flight flight, SiteTelemetry site, Exception failure)
    {
        // A flight cancelled because every caller left (or the cache is going away) has nobody to answer.
        if (flight.Token.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            if (flight.IsRefresh)
            {
                Telemetry.RefreshFailed(site, key, failure);
            }

            var policy = flight.Policy;
            if (!policy.FailSafe)
            {
                return null;
            }

            ResilientEntryBox? fallback;
            lock (flight)
            {
                fallback = FallbackFor(key, policy);
                if (fallback is not null && !flight.Superseded)
                {
                    Throttle(key, fallback, policy);
                }
            }

            if (fallback is { IsFresh: false })
            {
                Telemetry.FallbackServed(site, key, FallbackReason.Failed, failure, fallback.Age, policy.Throttle);
            }

            return fallback;
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            // The memory cache was disposed meanwhile, say: the failure goes to the callers as it is.
            return null;
        }
    }

    /// <summary>
    /// A caller's timeout elapsed while the flight runs: a fallback answers if there is one, and the computation goes on in
    /// the background. Without one, a soft timeout under <see cref="ResiliencePolicy.Hedge"/> leaves the slow flight for a
    /// second computation of the key (once per flight: a hedge is never hedged), else waits on (for the hard timeout, if
    /// any); a hard timeout fails the caller.
    /// </summary>
    /// <returns>True when the wait ends (<paramref name="waited"/> says how); false to wait on.</returns>
    /// <exception cref="TimeoutException">The hard timeout elapsed and no fallback answers.</exception>
    private bool TimedOut<T>(object key, Flight<T> flight, SiteTelemetry site, Computation? current, ResiliencePolicy policy, Patience patience, out Waited<T> waited)
    {
        var kind = patience.Phase;
        flight.NoteTimeout(kind);
        if (TakeFallback(key, flight, site, current, policy, out var fallback))
        {
            waited = new Waited<T>(WaitOutcome.Fallback, fallback);
            return true;
        }

        waited = default;
        if (flight.Completion.IsCompleted)
        {
            patience.Stop();
            return false;
        }

        if (kind == TimeoutKind.Hard)
        {
            throw Telemetry.HardTimeout(site, key, policy.HardTimeout!.Value);
        }

        patience.Next();
        if (policy.Hedge && TryHedge(key, flight, site))
        {
            // The slow computation is cancelled once no caller waits for it any more.
            flight.Leave();
            waited = new Waited<T>(WaitOutcome.Hedge, default!);
            return true;
        }

        return false;
    }

    /// <summary>
    /// Takes a slow flight out of the map, so the next caller starts a second computation of the key (a hedge) or joins the
    /// one another caller started. The slow flight is superseded: its value still goes to whoever waits for it, but is never
    /// stored over the hedge's. False for a flight that is itself a hedge, or that completed meanwhile.
    /// </summary>
    private bool TryHedge(object key, Flight flight, SiteTelemetry site)
    {
        if (flight.IsHedge)
        {
            return false;
        }

        lock (flight)
        {
            if (flight.Completion.IsCompleted)
            {
                return false;
            }

            if (!flight.Hedged)
            {
                flight.MarkHedged();
                flight.Supersede();
                _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
                site.Hedged();
            }
        }

        return true;
    }

    /// <summary>The last good value of the key for a caller whose timeout elapsed, stored again as a throttled fallback.</summary>
    private bool TakeFallback<T>(object key, Flight<T> flight, SiteTelemetry site, Computation? current, ResiliencePolicy policy, out T value)
    {
        lock (flight)
        {
            if (!flight.Completion.IsCompleted && FallbackFor(key, policy) is { } fallback && KeyTypes.TryCast(fallback.Value, out value))
            {
                if (!flight.Superseded)
                {
                    Throttle(key, fallback, policy);
                }

                current?.Inherit(fallback.Stamps, poisoned: false);
                if (flight.TryNoteFallback())
                {
                    Telemetry.FallbackServed(site, key, FallbackReason.TimedOut, failure: null, fallback.Age, policy.Throttle);
                }

                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>What the memory cache holds for the key, if it may answer as a fallback under <paramref name="policy"/>.</summary>
    private ResilientEntryBox? FallbackFor(object key, ResiliencePolicy policy) =>
        policy.FailSafe && _memory.TryGetValue(key, out var stored) && stored is ResilientEntryBox box && box.CanAnswerFor(policy, VersionsRecent) ? box : null;

    /// <summary>
    /// Stores a fallback again as a throttled copy, which answers reads until its throttle period ends; a value that is still
    /// a hit is left alone, and nothing tagged is stored while the versions may lag. The caller holds <c>lock (flight)</c>.
    /// </summary>
    private void Throttle(object key, ResilientEntryBox fallback, ResiliencePolicy policy)
    {
        if (fallback.IsFresh || !MayStore(fallback.Stamps))
        {
            return;
        }

        var copy = fallback.Throttle(policy.Throttle, policy.AfterInvalidation, out var keepFor);
        using var cacheEntry = _memory.CreateEntry(key);
        cacheEntry.Value = copy;
        _expiry.Keep(cacheEntry, keepFor);
        if (_sized)
        {
            cacheEntry.Size = 1;
        }
    }

    /// <summary>An entry's lifetime with its share of jitter: a random extra duration up to <paramref name="jitter"/>.</summary>
    private static TimeSpan WithJitter(TimeSpan timeout, TimeSpan? jitter) =>
        jitter is { } most && timeout != Timeout.InfiniteTimeSpan && timeout < TimeSpan.MaxValue - most
            ? timeout + TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * most.Ticks))
            : timeout;
}
