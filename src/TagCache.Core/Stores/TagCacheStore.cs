using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>The default <see cref="ITagCache"/>: values in a <see cref="MemoryCache"/>, validity decided by tag stamps.</summary>
/// <remarks>
/// Every read that computes goes through one loop, <see cref="Next{T}"/>: hit, join the key's flight, or start one.
/// Synchronous and asynchronous callers differ only in how they run the factory and how they wait.
/// </remarks>
internal sealed class TagCacheStore : ITagCache, ILocalTagCache, IDisposable
{
    private readonly MemoryCache _memory;
    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly TimeSpan _defaultTimeout;
    private readonly bool _sized;
    private readonly TimeProvider _time;
    private readonly StaleEntryReclaimer _reclaimer;
    private int _disposed;

    public TagCacheStore(string name, TimeSpan defaultTimeout, long? sizeLimit, TimeSpan reclaimInterval, ITagVersionStore versions, TimeProvider time, ILogger logger)
    {
        Name = name;
        Versions = versions;
        _defaultTimeout = defaultTimeout;
        _sized = sizeLimit is not null;
        _time = time;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = sizeLimit, Clock = new TimeProviderClock(time) });
        _reclaimer = new StaleEntryReclaimer(_memory, reclaimInterval, time, logger);
    }

    public string Name { get; }

    internal ITagVersionStore Versions { get; }

    /// <summary>Gets the number of keys being computed right now; for tests of the single-flight bookkeeping.</summary>
    internal int FlightCount => _flights.Count;

    internal MemoryCache Memory => _memory;

    /// <summary>Describes the flights running now and what each computation waits on, for diagnosing a wait that never ends.</summary>
    internal string DescribeFlights() =>
        string.Join(Environment.NewLine, _flights.Values.Select(f =>
            $"{f.Key} (completed {f.Completion.IsCompleted}) waits on [{string.Join(", ", f.Owner.SnapshotWaits().Select(w => (w.Certain ? "certain " : "possible ") + w.Flight.Key + (w.Flight.Completion.IsCompleted ? " (completed)" : string.Empty)))}]"));

    public bool TryGet<T>(string key, out T value) => TryGet(ValidKey(key).AsSpan(), out value);

    /// <summary>Looks a key up without needing it as a string, so a hit on the interception path allocates nothing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryGet<T>(ReadOnlySpan<char> key, out T value)
    {
        if (TryGetStored(key, out var stored))
        {
            value = stored is T typed ? typed : KeyTypes.NullOrMismatch<T>(stored, key);
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Gets the stored value if the key holds one whose tags are all current.</summary>
    public bool TryGetStored(ReadOnlySpan<char> key, out object? value)
    {
        if (_memory.TryGetValue(key, out var stored))
        {
            if (stored is not CacheEntryBox box)
            {
                // Entries without tags are stored bare: nothing can make them stale but expiry, which the memory cache checks.
                value = stored;
                return true;
            }

            if (box.StampsAreCurrent())
            {
                Computation.Current?.Inherit(box.Stamps, poisoned: false);
                value = box.Value;
                return true;
            }

            // Stale: free it now rather than at the next reclaim pass or compaction.
            _memory.Remove(key.ToString());
        }

        value = null;
        return false;
    }

    public void Set<T>(string key, T value, TagCacheEntryOptions? options = null)
    {
        ValidKey(key);
        ThrowIfDeferred(value, key, computed: false);
        var tags = options?.Tags ?? [];
        var stamps = tags.Count == 0 ? [] : new TagStamp[tags.Count];
        var i = 0;
        foreach (var tag in tags)
        {
            stamps[i++] = TagStamp.Take(Versions.Acquire(TagNames.Valid(tag)));
        }

        Write(key, () => Store(key, value, stamps, options?.Timeout));
    }

    public void Remove(string key)
    {
        ValidKey(key);
        Write(key, () => _memory.Remove(key));
    }

    public void InvalidateTags(params string[] tags)
    {
        Versions.Invalidate(TagNames.ValidList(tags));
        _reclaimer.NoteInvalidation();
    }

    public async ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        await Versions.InvalidateAsync(TagNames.ValidList(tags), cancellationToken).ConfigureAwait(false);
        _reclaimer.NoteInvalidation();
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TryGet(ValidKey(key).AsSpan(), out T value) ? value : GetOrSet(key, _ => factory(), options, CancellationToken.None);
    }

    /// <summary>
    /// The synchronous read-through: the caller that starts the flight runs <paramref name="factory"/> on its own thread,
    /// with the flight's token, so its cancellation stops the computation only if nobody else waits for it.
    /// </summary>
    public T GetOrSet<T>(string key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidKey(key);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = Next<T>(key, options);
            if (step.Flight is not { } flight)
            {
                return step.Value;
            }

            var current = Computation.Current;
            if (step.Started)
            {
                RunInline(key, flight, factory, options, current, cancellationToken);
            }
            else
            {
                WaitBlocking(key, flight, current, cancellationToken);
            }

            if (TryTake(flight, step.Started, current, out var value))
            {
                return value;
            }
        }
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TryGet(ValidKey(key).AsSpan(), out T value)
            ? ValueTask.FromResult(value)
            : GetOrSetSlowAsync(key, factory, options, cancellationToken);
    }

    /// <summary>Reclaims the memory of stale entries now, as the background pass does; returns how many it freed.</summary>
    internal int ReclaimNow() => _reclaimer.Reclaim();

    /// <summary>Disposes the memory cache and fails every flight still running, so no caller waits for a cache that is gone.</summary>
    public void Dispose()
    {
        // A full fence: a flight added after this is seen by Next's check below, one added before by AbortFlights.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        AbortFlights();
        _reclaimer.Dispose();
        _memory.Dispose();
    }

    private static string ValidKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private static void ThrowIfDeferred<T>(T value, string key, bool computed)
    {
        if (DeferredSequences.IsDeferred(value))
        {
            var message = $"The value for key '{key}' is {DeferredSequences.Describe(value!)}. TagCache did not store it.";
            throw computed ? new InvalidOperationException(message) : new ArgumentException(message, nameof(value));
        }
    }

    /// <summary>
    /// The one loop every computing read goes through: a hit, a flight to join, or a flight this caller starts. A flight is
    /// published only once its computation exists, so a computation that cannot start (an invalid tag) leaves nothing behind.
    /// </summary>
    private Step<T> Next<T>(string key, TagCacheEntryOptions? options)
    {
        while (true)
        {
            ThrowIfDisposed();
            if (TryGet(key.AsSpan(), out T value))
            {
                return new Step<T>(value);
            }

            if (_flights.TryGetValue(key, out var existing))
            {
                var typed = existing as Flight<T> ?? throw KeyTypes.FlightMismatch(key, existing.ValueType, typeof(T));
                if (typed.TryJoin())
                {
                    return new Step<T>(typed, started: false);
                }

                // Every waiter of that flight left; it is being torn down, so start afresh.
                _flights.TryRemove(new KeyValuePair<string, Flight>(key, existing));
                continue;
            }

            var flight = new Flight<T>(key, new Computation(Versions, options?.Tags ?? []));
            if (!_flights.TryAdd(key, flight))
            {
                continue;
            }

            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _disposed) == 1)
            {
                // Dispose may have aborted the flights before this one was added.
                _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
                ThrowIfDisposed();
            }

            // A flight that finished between our miss and our TryAdd stored its value before it left the map.
            if (TryGet(key.AsSpan(), out value))
            {
                _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));

                // Poisoned, so anyone who joined meanwhile reads the entry itself and inherits its tags.
                flight.Succeed(value, [], poisoned: true);
                return new Step<T>(value);
            }

            return new Step<T>(flight, started: true);
        }
    }

    private void RunInline<T>(string key, Flight<T> flight, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, Computation? parent, CancellationToken callerToken)
    {
        // The starter cannot leave while it runs the factory itself, but its cancellation counts: once every other
        // waiter has left too, the flight's token stops the computation.
        using (callerToken.CanBeCanceled ? callerToken.UnsafeRegister(static f => ((Flight)f!).Leave(), flight) : default)
        {
            var begun = Begin(flight, parent);
            T value = default!;
            Exception? failure = null;
            flight.Owner.EnterOwnFlow();
            try
            {
                value = factory(flight.Token);
                AddResultTags(flight.Owner, options, value);
            }
            catch (Exception exception)
            {
                failure = exception;
            }

            Finish(key, flight, begun, parent, options, value, failure);
        }

        // The value was computed (and stored) for the others; this caller asked to stop, and is told so.
        callerToken.ThrowIfCancellationRequested();
    }

    private async Task RunAsync<T>(string key, Flight<T> flight, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, Computation? parent)
    {
        // Entered inside this async method, so the ambient computation never leaks back to the caller.
        var begun = Begin(flight, parent);
        T value = default!;
        Exception? failure = null;
        try
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
        catch (Exception exception)
        {
            failure = exception;
        }

        Finish(key, flight, begun, parent, options, value, failure);
    }

    private async ValueTask<T> GetOrSetSlowAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var step = Next<T>(key, options);
            if (step.Flight is not { } flight)
            {
                return step.Value;
            }

            var current = Computation.Current;
            if (step.Started)
            {
                _ = RunAsync(key, flight, factory, options, current);
            }

            await WaitAsync(key, flight, step.Started, current, cancellationToken).ConfigureAwait(false);
            if (TryTake(flight, step.Started, current, out var value))
            {
                return value;
            }
        }
    }

    /// <summary>
    /// Makes the flight's computation ambient; the starting context waits for it (an edge of the wait-for graph, certain if
    /// the parent's own flow started it). A new computation waits on nothing yet, so this edge cannot close a cycle.
    /// </summary>
    private static (AmbientFrame? Previous, WaitEdge ParentEdge) Begin(Flight flight, Computation? parent) =>
        (flight.Owner.Enter(), parent?.AddWait(flight, parent.IsOwnFlow) ?? default);

    /// <summary>
    /// Ends the computation as soon as its factory is done (later work it started belongs to no one), then completes the
    /// flight with the outcome. Never throws, so every flight completes.
    /// </summary>
    private void Finish<T>(string key, Flight<T> flight, (AmbientFrame? Previous, WaitEdge ParentEdge) begun, Computation? parent, TagCacheEntryOptions? options, T value, Exception? failure)
    {
        flight.Owner.LeaveOwnFlow();
        flight.Owner.End();
        Computation.Restore(begun.Previous);
        parent?.EndWait(begun.ParentEdge);
        if (failure is null)
        {
            Succeed(key, flight, value, options);
        }
        else
        {
            Fail(key, flight, failure);
        }
    }

    /// <summary>Stores the value if no tag moved and no write superseded it, then completes the flight. Never throws.</summary>
    private void Succeed<T>(string key, Flight<T> flight, T value, TagCacheEntryOptions? options)
    {
        Exception? fault = null;
        var stamps = Array.Empty<TagStamp>();
        var poisoned = true;
        try
        {
            stamps = flight.Owner.SnapshotStamps();
            poisoned = flight.Owner.IsPoisoned;
            if (!poisoned)
            {
                ThrowIfDeferred(value, key, computed: true);
                lock (flight)
                {
                    // Compare-and-set: a value whose tags moved while it was computed is returned but never stored.
                    if (!flight.Superseded)
                    {
                        Store(key, value, stamps, options?.Timeout);
                    }
                }

                poisoned = !CacheEntryBox.AreCurrent(stamps);
            }
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        // Stored before leaving the map, so a caller that finds no flight finds the entry.
        _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        if (fault is null)
        {
            flight.Succeed(value, stamps, poisoned);
        }
        else
        {
            flight.Fail(fault, stamps, poisoned: true);
        }
    }

    private void Fail<T>(string key, Flight<T> flight, Exception exception)
    {
        _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
        flight.Fail(exception, flight.Owner.SnapshotStamps(), flight.Owner.IsPoisoned);
    }

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
    /// Blocks until the flight completes, or the caller's token is cancelled (then the caller leaves it). Inside a
    /// computation the wait looks for a cycle again every <see cref="WaitForGraph.Recheck"/>.
    /// </summary>
    private static void WaitBlocking(string key, Flight flight, Computation? current, CancellationToken cancellationToken)
    {
        var edge = BeginWait(key, flight, current);
        var task = flight.Completion;
        try
        {
            while (!WaitBlocking(task, current is null ? Timeout.InfiniteTimeSpan : WaitForGraph.Recheck, cancellationToken))
            {
                FailIfCycle(key, flight, current!);
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

    /// <summary>Waits without throwing the flight's outcome (TryTake reads it); false when the time ran out.</summary>
    private static bool WaitBlocking(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return task.Wait(timeout, cancellationToken);
        }
        catch (AggregateException) when (task.IsCompleted)
        {
            return true;
        }
    }

    private static async ValueTask WaitAsync(string key, Flight flight, bool started, Computation? current, CancellationToken cancellationToken)
    {
        // The starter's context already waits for its own flight (see Begin), so only joiners add an edge here.
        var joiner = started ? null : current;
        var edge = BeginWait(key, flight, joiner);
        var task = flight.Completion;
        try
        {
            do
            {
                await task.WaitAsync(joiner is null ? Timeout.InfiniteTimeSpan : WaitForGraph.Recheck, cancellationToken)
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (task.IsCompleted || cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                FailIfCycle(key, flight, joiner!);
            }
            while (true);
        }
        finally
        {
            joiner?.EndWait(edge);
        }

        if (!task.IsCompleted)
        {
            flight.Leave();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private static WaitEdge BeginWait(string key, Flight flight, Computation? current)
    {
        if (current is null)
        {
            return default;
        }

        try
        {
            return WaitForGraph.BeginWait(current, flight, key);
        }
        catch
        {
            flight.Leave();
            throw;
        }
    }

    /// <summary>A wait still running at a recheck that is part of a cycle is the one to end it: the waiter leaves with the cycle error.</summary>
    private static void FailIfCycle(string key, Flight flight, Computation current)
    {
        if (!flight.Completion.IsCompleted && WaitForGraph.Closes(current, flight))
        {
            flight.Leave();
            throw WaitForGraph.CycleError(key);
        }
    }

    /// <summary>
    /// Hands the finished flight's outcome to its caller, who inherits its dependencies whatever the outcome (a caught
    /// failure still depends on its tags). A joiner whose outcome predates an invalidation that returned since goes round again.
    /// </summary>
    private static bool TryTake<T>(Flight<T> flight, bool started, Computation? current, out T value)
    {
        // A failure, like a value, computed from data older than an invalidation the joiner saw return is not its answer.
        if (!started && !flight.IsFresh)
        {
            value = default!;
            return false;
        }

        var task = flight.Task;
        if (!task.IsCompletedSuccessfully)
        {
            current?.Inherit(flight.Stamps, flight.Poisoned);
            value = task.GetAwaiter().GetResult();
            return true;
        }

        current?.Inherit(flight.Stamps, started && flight.Poisoned);
        value = task.Result;
        return true;
    }

    /// <summary>
    /// Applies a Set or Remove so that it wins over any computation of the key already running: that flight is marked
    /// superseded (it will not store) and leaves the map (later readers do not join it), under the lock its store takes.
    /// </summary>
    private void Write(string key, Action write)
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
            _flights.TryRemove(new KeyValuePair<string, Flight>(key, flight));
            write();
        }
    }

    private void AbortFlights()
    {
        foreach (var pair in _flights)
        {
            if (_flights.TryRemove(pair))
            {
                pair.Value.Abort(new ObjectDisposedException(nameof(TagCacheStore), $"The TagCache '{Name}' was disposed while '{pair.Key}' was being computed."));
            }
        }
    }

    private void Store<T>(string key, T value, TagStamp[] stamps, TimeSpan? timeout)
    {
        object? entry = stamps.Length == 0 ? value : new CacheEntryBox(value, stamps);
        using var cacheEntry = _memory.CreateEntry(key);
        cacheEntry.Value = entry;
        if (Expiry.RelativeToNow(timeout ?? _defaultTimeout, _time) is { } relative)
        {
            // Relative to the memory cache's clock, which is the injected TimeProvider.
            cacheEntry.AbsoluteExpirationRelativeToNow = relative;
        }

        if (_sized)
        {
            cacheEntry.Size = 1;
        }
    }

    /// <summary>The outcome of one turn of <see cref="Next{T}"/>: a hit's value, or a flight joined or started.</summary>
    private readonly struct Step<T>
    {
        public Step(T value) => Value = value;

        public Step(Flight<T> flight, bool started)
        {
            Value = default!;
            Flight = flight;
            Started = started;
        }

        public T Value { get; }

        public Flight<T>? Flight { get; }

        public bool Started { get; }
    }
}
