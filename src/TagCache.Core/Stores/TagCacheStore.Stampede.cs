using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// Single flight: the one loop every computing read goes through (<see cref="Next{T}"/>: hit, join the key's flight, or
/// start one), its synchronous and asynchronous drivers, the waits (edges of the wait-for graph), and the hand-over of a
/// finished flight to its callers.
/// </summary>
internal sealed partial class TagCacheStore
{
    private readonly ConcurrentDictionary<object, Flight> _flights = new();

    /// <summary>
    /// The synchronous read-through: the caller that starts the flight runs <paramref name="factory"/> on its own thread,
    /// with the flight's token, so its cancellation stops the computation only if nobody else waits for it. Under timeouts
    /// the factory runs on the thread pool instead, and the caller waits for it like any other caller.
    /// </summary>
    public T GetOrSet<T>(object key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken) =>
        GetOrSet(key, factory, options, cancellationToken, first: Lookup.Absent);

    /// <param name="key">The key.</param>
    /// <param name="factory">Computes the value, with the flight's token.</param>
    /// <param name="options">The call's options.</param>
    /// <param name="cancellationToken">Cancels the caller's wait.</param>
    /// <param name="first">Why the caller's first lookup missed, to count the request as when it ends.</param>
    private T GetOrSet<T>(object key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken, Lookup first)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidKey(key);
        var site = SiteFor(options);
        var policy = PolicyOf(options);
        FallbackReason? served = null;
        var fromSecondLevel = false;
        using var patience = Patience.For(policy, _time, cancellationToken);
        var hedge = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var step = Next<T>(key, options, policy, hedge);
                if (step.Flight is not { } flight)
                {
                    served = step.Served;
                    return step.Value;
                }

                var current = Computation.Current;
                if (patience is null)
                {
                    if (step.Started)
                    {
                        RunInline(key, flight, factory, options, site, current, cancellationToken);
                    }
                    else
                    {
                        WaitBlocking(key, flight, site, current, patience, policy, cancellationToken);
                    }
                }
                else
                {
                    if (step.Started)
                    {
                        // Off the caller's thread, so its timeouts can end its wait; the computation goes on if they do.
                        _ = Task.Run(() => RunInline(key, flight, factory, options, site, parent: null, CancellationToken.None));
                    }

                    var waited = WaitBlocking(key, flight, site, current, patience, policy, cancellationToken);
                    if (waited.Outcome == WaitOutcome.Fallback)
                    {
                        served = FallbackReason.TimedOut;
                        return waited.Fallback;
                    }

                    if (waited.Outcome == WaitOutcome.Hedge)
                    {
                        hedge = true;
                        continue;
                    }
                }

                hedge = false;
                if (TryTake(flight, step.Started, site, current, policy, out var value, out served))
                {
                    fromSecondLevel = served is null && flight.FromSecondLevel;
                    return value;
                }
            }
        }
        finally
        {
            CountEnd(options, first, served, fromSecondLevel);
        }
    }

    /// <summary>
    /// The interceptor's asynchronous read-through. Its first turn runs now, so a caller that joins a running flight from
    /// outside any computation, with nothing to cancel, learns it (<paramref name="joined"/>) and may publish its answer there
    /// for later callers like it (<see cref="JoinShared{TShared}"/>). An error of that first turn faults the returned task.
    /// </summary>
    public ValueTask<T> GetOrSetAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken, out Flight? joined)
    {
        ArgumentNullException.ThrowIfNull(factory);
        joined = null;
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        Step<T> first;
        ResiliencePolicy policy;
        try
        {
            if (LookCounted(ValidKey(key), options, out T value).IsServed())
            {
                return ValueTask.FromResult(value);
            }

            policy = PolicyOf(options);
            first = Next<T>(key, options, policy, hedge: false);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<T>(exception);
        }

        if (first.Flight is not { } flight)
        {
            CountEnd(options, Lookup.Absent, first.Served);
            return ValueTask.FromResult(first.Value);
        }

        // A caller with timeouts or a fallback of its own gets an answer of its own.
        if (!first.Started && !cancellationToken.CanBeCanceled && Computation.Current is null && !policy.HasTimeouts && !policy.FailSafe)
        {
            joined = flight;
        }

        return GetOrSetSlowAsync(key, factory, options, cancellationToken, first, Lookup.Absent, policy);
    }

    /// <summary>
    /// For a caller outside any computation, with nothing to cancel, whose lookup missed: the answer published by the first
    /// such caller that joined the key's running flight (<see cref="Flight.Shared"/>), or null. Sharing it is sound because
    /// that caller judges the flight's value only once the flight completes, after this caller joined: a value computed
    /// before an invalidation that returned meanwhile is refused for both, and the retry is theirs together.
    /// </summary>
    public TShared? JoinShared<TShared>(object key)
        where TShared : class
    {
        if (Computation.Current is not null || !_flights.TryGetValue(key, out var flight) || flight.Completion.IsCompleted)
        {
            return null;
        }

        return flight.Shared is TShared shared && flight.TryJoin() ? shared : null;
    }

    /// <summary>
    /// The one loop every computing read goes through: a hit, a flight to join, or a flight this caller starts. A flight is
    /// published only once its computation exists, so a computation that cannot start (an invalid tag) leaves nothing behind.
    /// </summary>
    /// <param name="key">The key.</param>
    /// <param name="options">The call's options, whose tags a new flight stamps.</param>
    /// <param name="policy">The call's resilience settings, which a new flight keeps.</param>
    /// <param name="hedge">Whether the caller left a slow flight to start a second computation (a new flight is a hedge, never hedged itself).</param>
    private Step<T> Next<T>(object key, TagCacheEntryOptions? options, ResiliencePolicy policy, bool hedge)
    {
        while (true)
        {
            ThrowIfDisposed();
            if (TryGet(key, out T value, out var throttled))
            {
                return new Step<T>(value, throttled ? FallbackReason.Throttled : null);
            }

            if (_flights.TryGetValue(key, out var existing))
            {
                var typed = existing as Flight<T> ?? throw KeyTypes.FlightMismatch(Telemetry.KeyText(key), existing.ValueType, typeof(T));
                if (typed.TryJoin())
                {
                    return new Step<T>(typed, started: false);
                }

                // Every waiter of that flight left; it is being torn down, so start afresh.
                _flights.TryRemove(new KeyValuePair<object, Flight>(key, existing));
                continue;
            }

            var flight = new Flight<T>(key, new Computation(Versions, options?.Tags ?? []), policy) { IsHedge = hedge };
            if (!_flights.TryAdd(key, flight))
            {
                continue;
            }

            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _disposed) == 1)
            {
                // Dispose may have aborted the flights before this one was added.
                _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
                ThrowIfDisposed();
            }

            // A flight that finished between our miss and our TryAdd stored its value before it left the map.
            if (TryGet(key, out value, out throttled))
            {
                _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));

                // Poisoned, so anyone who joined meanwhile reads the entry itself and inherits its tags.
                flight.Succeed(value, [], poisoned: true);
                return new Step<T>(value, throttled ? FallbackReason.Throttled : null);
            }

            return new Step<T>(flight, started: true);
        }
    }

    private void RunInline<T>(object key, Flight<T> flight, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, SiteTelemetry site, Computation? parent, CancellationToken callerToken)
    {
        // The starter cannot leave while it runs the factory itself, but its cancellation counts: once every other
        // waiter has left too, the flight's token stops the computation.
        using (callerToken.CanBeCanceled ? callerToken.UnsafeRegister(static f => ((Flight)f!).Leave(), flight) : default)
        {
            var begun = Begin(key, flight, site, parent);
            T value = default!;
            Exception? failure = null;
            var secondLevel = SecondLevelFor(options);
            var start = secondLevel?.Start();
            IAsyncDisposable? fleetLock = null;
            flight.Owner.EnterOwnFlow();
            try
            {
                var read = Wait(ReadSecondLevel(secondLevel, key, flight));
                fleetLock = read.Lock;
                if (read.Hit is { } hit)
                {
                    value = Take(flight, hit);
                }
                else
                {
                    value = factory(flight.Token);
                    AddResultTags(flight.Owner, options, value);
                }
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            if (failure is null)
            {
                Wait(WriteSecondLevel(secondLevel, key, flight, value, start, options, site));
            }

            Wait(ReleaseSecondLevel(secondLevel, fleetLock));
            Finish(key, flight, begun, site, parent, options, value, failure);
        }

        // The value was computed (and stored) for the others; this caller asked to stop, and is told so.
        callerToken.ThrowIfCancellationRequested();
    }

    private async Task RunAsync<T>(object key, Flight<T> flight, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, SiteTelemetry site, Computation? parent)
    {
        // Entered inside this async method, so the ambient computation (and activity) never leaks back to the caller.
        var begun = Begin(key, flight, site, parent);
        T value = default!;
        Exception? failure = null;
        var secondLevel = SecondLevelFor(options);
        var start = secondLevel?.Start();
        IAsyncDisposable? fleetLock = null;
        try
        {
            var read = await ReadSecondLevel(secondLevel, key, flight).ConfigureAwait(false);
            fleetLock = read.Lock;
            if (read.Hit is { } hit)
            {
                value = Take(flight, hit);
            }
            else
            {
                // Only the factory's synchronous part surely runs on the computation's own flow; its continuations may not.
                flight.Owner.EnterOwnFlow();
                ValueTask<T> pending;
                try
                {
                    pending = factory(flight.Token);
                }
                finally
                {
                    flight.Owner.LeaveOwnFlow();
                }

                value = await pending.ConfigureAwait(false);
                AddResultTags(flight.Owner, options, value);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        if (failure is null)
        {
            await WriteSecondLevel(secondLevel, key, flight, value, start, options, site).ConfigureAwait(false);
        }

        await ReleaseSecondLevel(secondLevel, fleetLock).ConfigureAwait(false);

        Finish(key, flight, begun, site, parent, options, value, failure);
    }

    /// <param name="key">The key.</param>
    /// <param name="factory">Computes the value, with the flight's token.</param>
    /// <param name="options">The call's options.</param>
    /// <param name="cancellationToken">Cancels the caller's wait.</param>
    /// <param name="first">The first turn of the loop, when the caller took it already.</param>
    /// <param name="firstLookup">Why the caller's first lookup missed, to count the request as when it ends.</param>
    /// <param name="policy">The call's resilience settings, when the caller resolved them already.</param>
    private async ValueTask<T> GetOrSetSlowAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken, Step<T>? first, Lookup firstLookup, ResiliencePolicy? policy = null)
    {
        var site = SiteFor(options);
        policy ??= PolicyOf(options);
        FallbackReason? served = null;
        var fromSecondLevel = false;
        using var patience = Patience.For(policy, _time, cancellationToken);
        var hedge = false;
        try
        {
            while (true)
            {
                Step<T> step;
                if (first is { } taken)
                {
                    // The caller took the first turn already (see the overload that reports a joined flight).
                    step = taken;
                    first = null;
                }
                else
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    step = Next<T>(key, options, policy, hedge);
                    hedge = false;
                }

                if (step.Flight is not { } flight)
                {
                    served = step.Served;
                    return step.Value;
                }

                var current = Computation.Current;
                if (step.Started)
                {
                    _ = RunAsync(key, flight, factory, options, site, current);
                }

                if ((step.Started || current is null) && !cancellationToken.CanBeCanceled && patience is null)
                {
                    // Nothing to record in the wait-for graph, nothing to cancel and no timeout: wait without a second state
                    // machine, which is most of what each caller of a stampede allocates.
                    await flight.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }
                else
                {
                    var waited = await WaitAsync(key, flight, step.Started, site, current, patience, policy, cancellationToken).ConfigureAwait(false);
                    if (waited.Outcome == WaitOutcome.Fallback)
                    {
                        served = FallbackReason.TimedOut;
                        return waited.Fallback;
                    }

                    if (waited.Outcome == WaitOutcome.Hedge)
                    {
                        hedge = true;
                        continue;
                    }
                }

                if (TryTake(flight, step.Started, site, current, policy, out var value, out served))
                {
                    fromSecondLevel = served is null && flight.FromSecondLevel;
                    return value;
                }
            }
        }
        finally
        {
            CountEnd(options, firstLookup, served, fromSecondLevel);
        }
    }

    /// <summary>
    /// Makes the flight's computation ambient, and starts its timing and activity; the starting context waits for it (an
    /// edge of the wait-for graph, certain if the parent's own flow started it). A new computation waits on nothing yet, so
    /// this edge cannot close a cycle.
    /// </summary>
    private static Begun Begin(object key, Flight flight, SiteTelemetry site, Computation? parent) =>
        new(flight.Owner.Enter(), parent?.AddWait(flight, parent.IsOwnFlow) ?? default, site.StartComputation(key));

    /// <summary>
    /// Ends the computation as soon as its factory is done (later work it started belongs to no one), then records and
    /// completes the flight with the outcome: recorded first, so a caller who sees the outcome sees it counted. Never throws,
    /// so every flight completes.
    /// </summary>
    private void Finish<T>(object key, Flight<T> flight, Begun begun, SiteTelemetry site, Computation? parent, TagCacheEntryOptions? options, T value, Exception? failure)
    {
        flight.Owner.LeaveOwnFlow();
        flight.Owner.End();
        Computation.Restore(begun.Previous);
        parent?.EndWait(begun.ParentEdge);
        if (failure is null)
        {
            Succeed(key, flight, value, options, site, begun.Computation);
        }
        else
        {
            var outcome = IsCancellation(failure) ? ComputationOutcome.Cancelled : ComputationOutcome.Failed;
            site.EndComputation(begun.Computation, outcome, flight.Joined, failure, flight.IsRefresh, flight.TimedOut);
            var fallback = AfterFailure(key, flight, site, failure);
            _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
            flight.Fail(failure, flight.Owner.SnapshotStamps(), flight.Owner.IsPoisoned, fallback);
        }
    }

    /// <summary>The caller's (or, through the interceptor, the target's) cancellation, rather than a failure.</summary>
    private static bool IsCancellation(Exception failure) =>
        failure is OperationCanceledException || failure.InnerException is OperationCanceledException;

    private static void AddResultTags<T>(Computation computation, TagCacheEntryOptions? options, T value)
    {
        if (options?.ResultTags is { } resultTags)
        {
            foreach (var tag in resultTags(value) ?? [])
            {
                computation.AddLateTag(tag);
            }
        }
    }

    /// <summary>
    /// Blocks until the flight completes, the caller's token is cancelled (then the caller leaves it and throws), or one of
    /// the caller's timeouts ends the wait with a fallback or a hedge (<see cref="TimedOut{T}"/>). Inside a computation the
    /// wait looks for a cycle again every <see cref="WaitForGraph.Recheck"/>.
    /// </summary>
    private Waited<T> WaitBlocking<T>(object key, Flight<T> flight, SiteTelemetry site, Computation? current, Patience? patience, ResiliencePolicy policy, CancellationToken cancellationToken)
    {
        var edge = BeginWait(key, flight, site, current);
        var task = flight.Completion;
        try
        {
            while (true)
            {
                if (WaitBlocking(task, current is null ? Timeout.InfiniteTimeSpan : WaitForGraph.Recheck, patience?.Token ?? cancellationToken, cancellationToken))
                {
                    return default;
                }

                if (patience is { Elapsed: true })
                {
                    if (TimedOut(key, flight, site, current, policy, patience, out var waited))
                    {
                        return waited;
                    }
                }
                else
                {
                    FailIfCycle(key, flight, site, current!);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !task.IsCompleted)
        {
            flight.Leave();
            throw;
        }
        finally
        {
            current?.EndWait(edge);
        }
    }

    /// <summary>Waits without throwing the flight's outcome (TryTake reads it); false when the time ran out or a timeout's token fired.</summary>
    private static bool WaitBlocking(Task task, TimeSpan recheck, CancellationToken token, CancellationToken callerToken)
    {
        try
        {
            return task.Wait(recheck, token);
        }
        catch (AggregateException) when (task.IsCompleted)
        {
            return true;
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return task.IsCompleted;
        }
    }

    /// <summary>
    /// <see cref="WaitBlocking{T}"/> for asynchronous callers: completed, or a timeout's fallback; the caller's cancellation
    /// makes it leave the flight and throw.
    /// </summary>
    private async ValueTask<Waited<T>> WaitAsync<T>(object key, Flight<T> flight, bool started, SiteTelemetry site, Computation? current, Patience? patience, ResiliencePolicy policy, CancellationToken cancellationToken)
    {
        // The starter's context already waits for its own flight (see Begin), so only joiners add an edge here.
        var joiner = started ? null : current;
        var edge = BeginWait(key, flight, site, joiner);
        var task = flight.Completion;
        try
        {
            while (true)
            {
                await task.WaitAsync(joiner is null ? Timeout.InfiniteTimeSpan : WaitForGraph.Recheck, patience?.Token ?? cancellationToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (task.IsCompleted)
                {
                    return default;
                }

                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (patience is { Elapsed: true })
                {
                    if (TimedOut(key, flight, site, joiner ?? current, policy, patience, out var waited))
                    {
                        return waited;
                    }
                }
                else
                {
                    FailIfCycle(key, flight, site, joiner!);
                }
            }
        }
        finally
        {
            joiner?.EndWait(edge);
        }

        flight.Leave();
        cancellationToken.ThrowIfCancellationRequested();
        return default;
    }

    private WaitEdge BeginWait(object key, Flight flight, SiteTelemetry site, Computation? current)
    {
        if (current is null)
        {
            return default;
        }

        if (!WaitForGraph.TryBeginWait(current, flight, out var edge))
        {
            flight.Leave();
            throw Telemetry.Cycle(site, key);
        }

        return edge;
    }

    /// <summary>A wait still running at a recheck that is part of a cycle is the one to end it: the waiter leaves with the cycle error.</summary>
    private void FailIfCycle(object key, Flight flight, SiteTelemetry site, Computation current)
    {
        if (!flight.Completion.IsCompleted && WaitForGraph.Closes(current, flight))
        {
            flight.Leave();
            throw Telemetry.Cycle(site, key);
        }
    }

    /// <summary>
    /// Hands the finished flight's outcome to its caller, who inherits its dependencies whatever the outcome (a caught
    /// failure still depends on its tags). A joiner whose outcome predates an invalidation that returned since goes round
    /// again. A failure answers with the fallback the flight kept, if the caller's own policy accepts it.
    /// </summary>
    private bool TryTake<T>(Flight<T> flight, bool started, SiteTelemetry site, Computation? current, ResiliencePolicy policy, out T value, out FallbackReason? served)
    {
        served = null;

        // A failure, like a value, computed from data older than an invalidation the joiner saw return is not its answer.
        if (!started && !flight.IsFresh)
        {
            value = default!;
            return false;
        }

        if (!started)
        {
            site.Joined();
        }

        var task = flight.Task;
        if (!task.IsCompletedSuccessfully)
        {
            if (flight.Fallback is { } fallback && task.IsFaulted && fallback.CanAnswerFor(policy, VersionsRecent) && KeyTypes.TryCast(fallback.Value, out value))
            {
                current?.Inherit(fallback.Stamps, poisoned: false);
                served = FallbackReason.Failed;
                return true;
            }

            current?.Inherit(flight.Stamps, flight.Poisoned);
            value = task.GetAwaiter().GetResult();
            return true;
        }

        current?.Inherit(flight.Stamps, started && flight.Poisoned);
        value = task.Result;
        return true;
    }

    private void AbortFlights()
    {
        foreach (var pair in _flights)
        {
            if (_flights.TryRemove(pair))
            {
                pair.Value.Abort(new ObjectDisposedException(nameof(TagCacheStore), $"The TagCache '{Name}' was disposed while the entry {Telemetry.KeyText(pair.Key)} was being computed."));
            }
        }
    }

    /// <summary>What <see cref="Begin"/> changed, for <see cref="Finish"/> to restore and record.</summary>
    private readonly record struct Begun(AmbientFrame? Previous, WaitEdge ParentEdge, ComputationScope Computation);

    /// <summary>The outcome of one turn of <see cref="Next{T}"/>: a hit's value, or a flight joined or started.</summary>
    private readonly struct Step<T>
    {
        public Step(T value, FallbackReason? served)
        {
            Value = value;
            Served = served;
        }

        public Step(Flight<T> flight, bool started)
        {
            Value = default!;
            Flight = flight;
            Started = started;
        }

        public T Value { get; }

        public Flight<T>? Flight { get; }

        public bool Started { get; }

        /// <summary>Gets why a value the loop found answers as a fallback (a throttled one); null for a hit.</summary>
        public FallbackReason? Served { get; }
    }

    /// <summary>How a wait for a flight ended: the flight completed (the default), a timeout gave the caller a fallback, or it left to hedge.</summary>
    private readonly struct Waited<T>(WaitOutcome outcome, T fallback)
    {
        public WaitOutcome Outcome { get; } = outcome;

        public T Fallback { get; } = fallback;
    }

    private enum WaitOutcome
    {
        Completed,

        /// <summary>A timeout elapsed and the fallback answers.</summary>
        Fallback,

        /// <summary>The soft timeout elapsed with no fallback: the caller left the slow flight for a second computation.</summary>
        Hedge,
    }
}
