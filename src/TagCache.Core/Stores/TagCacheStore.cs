using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>The default <see cref="ITagCache"/>: values in a <see cref="MemoryCache"/>, validity decided by tag stamps.</summary>
/// <remarks>
/// Every read that computes goes through one loop, <see cref="Next{T}"/>: hit, join the key's flight, or start one.
/// Synchronous and asynchronous callers differ only in how they run the factory and how they wait.
/// </remarks>
internal sealed class TagCacheStore : ITagCache, ILocalTagCache, ITagVersionObserver, IDisposable
{
    private readonly MemoryCache _memory;
    private readonly ConcurrentDictionary<object, Flight> _flights = new();
    private readonly TimeSpan _defaultTimeout;
    private readonly bool _sized;
    private readonly StoreExpiry _expiry;
    private readonly StaleEntryReclaimer _reclaimer;
    private readonly StalenessGate? _gate;
    private readonly Func<object, string> _keyText;
    private int _disposed;

    public TagCacheStore(string name, TimeSpan defaultTimeout, long? sizeLimit, TimeSpan reclaimInterval, ITagVersionStore versions, TimeProvider time, CacheTelemetry telemetry, TagCacheScopeOptions? scope = null)
    {
        Name = name;
        Scope = scope;
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
    }

    public string Name { get; }

    /// <summary>Gets what this cache's entries vary by (or that they are shared across scopes); null when its options declare neither.</summary>
    public TagCacheScopeOptions? Scope { get; }

    internal CacheTelemetry Telemetry { get; }

    internal ITagVersionStore Versions { get; }

    /// <summary>Gets the number of keys being computed right now; for tests of the single-flight bookkeeping.</summary>
    internal int FlightCount => _flights.Count;

    internal MemoryCache Memory => _memory;

    /// <summary>Describes the flights running now and what each computation waits on, for diagnosing a wait that never ends.</summary>
    internal string DescribeFlights() =>
        string.Join(Environment.NewLine, _flights.Values.Select(f =>
            $"{f.Key} (completed {f.Completion.IsCompleted}) waits on [{string.Join(", ", f.Owner.SnapshotWaits().Select(w => (w.Certain ? "certain " : "possible ") + w.Flight.Key + (w.Flight.Completion.IsCompleted ? " (completed)" : string.Empty)))}]"));

    public bool TryGet<T>(string key, out T value) => TryGetCounted(ValidKey(key), options: null, out value);

    public SiteTelemetry SiteOf(string method) => Telemetry.SiteOf(method);

    /// <summary>Looks a key up without counting the read: a hit, or why it missed.</summary>
    public Lookup Look(ReadOnlySpan<char> key, out object? value)
    {
        if (!_memory.TryGetValue(key, out var stored))
        {
            value = null;
            return Lookup.Absent;
        }

        var lookup = Judge(stored, out value);
        if (lookup == Lookup.Stale)
        {
            _memory.Remove(key.ToString());
        }

        return lookup;
    }

    /// <summary>Looks a key (a string, or a <see cref="CallKey"/>) up without counting the read: a hit, or why it missed.</summary>
    public Lookup Look(object key, out object? value)
    {
        if (!_memory.TryGetValue(key, out var stored))
        {
            value = null;
            return Lookup.Absent;
        }

        var lookup = Judge(stored, out value);
        if (lookup == Lookup.Stale)
        {
            _memory.Remove(key);
        }

        return lookup;
    }

    /// <summary>Decides whether what the memory cache holds is still valid; a stale entry is the caller's to remove.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Lookup Judge(object? stored, out object? value)
    {
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

    /// <summary>Gets the statistics snapshot; null when they are not tracked.</summary>
    internal TagCacheStatistics? GetCurrentStatistics() => Telemetry.Snapshot(TryCountEntries(out var entries) ? entries : 0);

    /// <summary>Counts the entries held, fresh or stale; false once the cache is disposed.</summary>
    internal bool TryCountEntries(out long entries)
    {
        entries = 0;
        if (Volatile.Read(ref _disposed) == 1)
        {
            return false;
        }

        try
        {
            entries = _memory.Count;
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Looks a key up without needing it as a string and without counting the read: the loop's own lookups.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGet<T>(object key, out T value)
    {
        if (Look(key, out var stored) == Lookup.Hit)
        {
            value = KeyTypes.Cast<T>(stored, _keyText, key);
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>A caller's first lookup: counted, unless the interceptor counted it already (its options carry our site).</summary>
    private bool TryGetCounted<T>(object key, TagCacheEntryOptions? options, out T value)
    {
        var lookup = Look(key, out var stored);
        if (!CountedByCaller(options))
        {
            SiteFor(options).Count(lookup);
        }

        if (lookup == Lookup.Hit)
        {
            value = KeyTypes.Cast<T>(stored, _keyText, key);
            return true;
        }

        value = default!;
        return false;
    }

    private bool CountedByCaller(TagCacheEntryOptions? options) => options?.Site is { } site && ReferenceEquals(site.Owner, Telemetry);

    private SiteTelemetry SiteFor(TagCacheEntryOptions? options) =>
        CountedByCaller(options) ? options!.Site! : Telemetry.SiteOf(options?.Method);

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

        Write(key, () =>
        {
            // Like a computed value: while the versions may lack other nodes' invalidations (a node that has not caught up
            // since it started, say), a tagged value is not kept, and the value it replaces goes too.
            if (MayStore(stamps))
            {
                Store(key, value, stamps, options?.Timeout);
            }
            else
            {
                _memory.Remove(key);
            }
        });
    }

    public void Remove(string key)
    {
        ValidKey(key);
        Write(key, () => _memory.Remove(key));
    }

    public void InvalidateTags(params string[] tags) => InvalidateTags(TagNames.ValidList(tags), InvalidationOrigin.Manual);

    public ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        InvalidateTagsAsync(TagNames.ValidList(tags), InvalidationOrigin.Manual, cancellationToken);

    public void InvalidateTags(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        var valid = TagNames.ValidList(tags);
        using (var traced = Telemetry.StartInvalidation(valid, origin))
        {
            try
            {
                Versions.Invalidate(valid);
            }
            catch (Exception exception)
            {
                traced.Failed(exception);
                throw;
            }
        }

        Invalidated(valid, origin);
    }

    public async ValueTask InvalidateTagsAsync(IReadOnlyList<string> tags, InvalidationOrigin origin, CancellationToken cancellationToken)
    {
        var valid = TagNames.ValidList(tags);
        using (var traced = Telemetry.StartInvalidation(valid, origin))
        {
            try
            {
                await Versions.InvalidateAsync(valid, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                traced.Failed(exception);
                throw;
            }
        }

        Invalidated(valid, origin);
    }

    public T GetOrSet<T>(string key, Func<T> factory, TagCacheEntryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TryGetCounted(ValidKey(key), options, out T value) ? value : GetOrSet(key, _ => factory(), options, CancellationToken.None);
    }

    /// <summary>
    /// The synchronous read-through: the caller that starts the flight runs <paramref name="factory"/> on its own thread,
    /// with the flight's token, so its cancellation stops the computation only if nobody else waits for it.
    /// </summary>
    public T GetOrSet<T>(object key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ValidKey(key);
        var site = SiteFor(options);
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
                RunInline(key, flight, factory, options, site, current, cancellationToken);
            }
            else
            {
                WaitBlocking(key, flight, site, current, cancellationToken);
            }

            if (TryTake(flight, step.Started, site, current, out var value))
            {
                return value;
            }
        }
    }

    public ValueTask<T> GetOrSetAsync<T>(string key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options = null, CancellationToken cancellationToken = default) =>
        GetOrSetAsync((object)key, factory, options, cancellationToken);

    /// <summary><see cref="GetOrSetAsync{T}(string, Func{CancellationToken, ValueTask{T}}, TagCacheEntryOptions?, CancellationToken)"/> for a string or a <see cref="CallKey"/>.</summary>
    public ValueTask<T> GetOrSetAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return TryGetCounted(ValidKey(key), options, out T value)
            ? ValueTask.FromResult(value)
            : GetOrSetSlowAsync(key, factory, options, cancellationToken, first: null);
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
        try
        {
            if (TryGetCounted(ValidKey(key), options, out T value))
            {
                return ValueTask.FromResult(value);
            }

            first = Next<T>(key, options);
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<T>(exception);
        }

        if (first.Flight is not { } flight)
        {
            return ValueTask.FromResult(first.Value);
        }

        if (!first.Started && !cancellationToken.CanBeCanceled && Computation.Current is null)
        {
            joined = flight;
        }

        return GetOrSetSlowAsync(key, factory, options, cancellationToken, first);
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

    private static object ValidKey(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key is string text ? ValidKey(text) : key;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);

    private void ThrowIfDeferred<T>(T value, object key, bool computed)
    {
        if (DeferredSequences.IsDeferred(value))
        {
            var message = $"The value for key {Telemetry.KeyText(key)} in cache '{Name}' is {DeferredSequences.Describe(value!)}. TagCache did not store it.";
            throw computed ? new InvalidOperationException(message) : new ArgumentException(message, nameof(value));
        }
    }

    /// <summary>
    /// The one loop every computing read goes through: a hit, a flight to join, or a flight this caller starts. A flight is
    /// published only once its computation exists, so a computation that cannot start (an invalid tag) leaves nothing behind.
    /// </summary>
    private Step<T> Next<T>(object key, TagCacheEntryOptions? options)
    {
        while (true)
        {
            ThrowIfDisposed();
            if (TryGet(key, out T value))
            {
                return new Step<T>(value);
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

            var flight = new Flight<T>(key, new Computation(Versions, options?.Tags ?? []));
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
            if (TryGet(key, out value))
            {
                _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));

                // Poisoned, so anyone who joined meanwhile reads the entry itself and inherits its tags.
                flight.Succeed(value, [], poisoned: true);
                return new Step<T>(value);
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

        Finish(key, flight, begun, site, parent, options, value, failure);
    }

    private async ValueTask<T> GetOrSetSlowAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken, Step<T>? first)
    {
        var site = SiteFor(options);
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
                step = Next<T>(key, options);
            }

            if (step.Flight is not { } flight)
            {
                return step.Value;
            }

            var current = Computation.Current;
            if (step.Started)
            {
                _ = RunAsync(key, flight, factory, options, site, current);
            }

            if ((step.Started || current is null) && !cancellationToken.CanBeCanceled)
            {
                // Nothing to record in the wait-for graph and nothing to cancel: wait without a second state machine, which
                // is most of what each caller of a stampede allocates.
                await flight.Completion.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                await WaitAsync(key, flight, step.Started, site, current, cancellationToken).ConfigureAwait(false);
            }

            if (TryTake(flight, step.Started, site, current, out var value))
            {
                return value;
            }
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
            Record(site, begun.Computation, IsCancellation(failure) ? ComputationOutcome.Cancelled : ComputationOutcome.Failed, flight, failure);
            _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
            flight.Fail(failure, flight.Owner.SnapshotStamps(), flight.Owner.IsPoisoned);
        }
    }

    /// <summary>Stores the value if no tag moved and no write superseded it, then completes the flight. Never throws.</summary>
    private void Succeed<T>(object key, Flight<T> flight, T value, TagCacheEntryOptions? options, SiteTelemetry site, ComputationScope computation)
    {
        Exception? fault = null;
        var stamps = Array.Empty<TagStamp>();
        var poisoned = true;
        var reason = DiscardReason.TagsMoved;
        try
        {
            stamps = flight.Owner.SnapshotStamps();
            poisoned = flight.Owner.IsPoisoned;
            if (!poisoned)
            {
                ThrowIfDeferred(value, key, computed: true);
                lock (flight)
                {
                    // A value whose tags already moved is not worth the memory; one whose tags move from here on is stored
                    // stale, and never served.
                    reason = flight.Superseded ? DiscardReason.Superseded
                        : !MayStore(stamps) ? DiscardReason.VersionsBehind
                        : DiscardReason.TagsMoved;
                    if (reason == DiscardReason.TagsMoved && CacheEntryBox.AreCurrent(stamps))
                    {
                        Store(key, value, stamps, options?.Timeout);
                        poisoned = false;
                    }
                    else
                    {
                        poisoned = reason != DiscardReason.Superseded;
                    }
                }

                poisoned = poisoned || !CacheEntryBox.AreCurrent(stamps);
            }
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        var outcome = fault is not null ? ComputationOutcome.Failed
            : poisoned || reason == DiscardReason.Superseded ? ComputationOutcome.Discarded
            : ComputationOutcome.Stored;
        Record(site, computation, outcome, flight, fault);
        if (outcome == ComputationOutcome.Discarded)
        {
            Telemetry.Discarded(site, key, reason);
        }

        // Stored before leaving the map, so a caller that finds no flight finds the entry.
        _flights.TryRemove(new KeyValuePair<object, Flight>(key, flight));
        if (fault is null)
        {
            flight.Succeed(value, stamps, poisoned);
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
    /// Stores an external computation's value by the rule <see cref="Succeed{T}"/> applies: not if a tag moved while it
    /// ran, not while the versions may be behind; records the outcome. A later Set or Remove of the key wins, as usual.
    /// </summary>
    internal bool StoreExternal<T>(string key, T value, TimeSpan? timeout, Computation owner, SiteTelemetry site, ComputationScope scope)
    {
        ValidKey(key);
        owner.End();
        var stamps = owner.SnapshotStamps();
        var reason = owner.IsPoisoned ? DiscardReason.TagsMoved : !MayStore(stamps) ? DiscardReason.VersionsBehind : (DiscardReason?)null;
        var stored = false;
        Exception? fault = null;
        try
        {
            if (reason is null)
            {
                Write(key, () =>
                {
                    if (CacheEntryBox.AreCurrent(stamps))
                    {
                        Store(key, value, stamps, timeout);
                        stored = true;
                    }
                });
                reason = stored ? null : DiscardReason.TagsMoved;
            }
        }
        catch (Exception exception)
        {
            fault = exception;
        }

        site.EndComputation(scope, fault is not null ? ComputationOutcome.Failed : stored ? ComputationOutcome.Stored : ComputationOutcome.Discarded, joins: 0, fault);
        if (fault is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(fault);
        }

        if (reason is { } discarded)
        {
            Telemetry.Discarded(site, key, discarded);
        }

        return stored;
    }

    /// <summary>
    /// A tagged value is stored only while the versions are known to be recent (see <see cref="StalenessGate"/>): stamps
    /// taken from versions that lack another node's invalidations could not be trusted by the reads that follow.
    /// </summary>
    private bool MayStore(TagStamp[] stamps) => stamps.Length == 0 || _gate is null || _gate.IsOpen;

    void ITagVersionObserver.RemoteInvalidated(IReadOnlyList<string> tags) => Invalidated(tags, InvalidationOrigin.Remote);

    void ITagVersionObserver.AllInvalidated(string reason)
    {
        _reclaimer.NoteInvalidation();
        Telemetry.AllInvalidated(reason);
    }

    /// <summary>The caller's (or, through the interceptor, the target's) cancellation, rather than a failure.</summary>
    private static bool IsCancellation(Exception failure) =>
        failure is OperationCanceledException || failure.InnerException is OperationCanceledException;

    /// <summary>Records a computation's end; a throwing listener must not keep its flight from completing.</summary>
    private static void Record(SiteTelemetry site, ComputationScope computation, ComputationOutcome outcome, Flight flight, Exception? failure)
    {
        try
        {
            site.EndComputation(computation, outcome, flight.Joined, failure);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Telemetry is an observer: the flight completes whatever a listener does.
        }
    }

    private void Invalidated(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        _reclaimer.NoteInvalidation();
        Telemetry.Invalidated(tags, origin);
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
    private void WaitBlocking(object key, Flight flight, SiteTelemetry site, Computation? current, CancellationToken cancellationToken)
    {
        var edge = BeginWait(key, flight, site, current);
        var task = flight.Completion;
        try
        {
            while (!WaitBlocking(task, current is null ? Timeout.InfiniteTimeSpan : WaitForGraph.Recheck, cancellationToken))
            {
                FailIfCycle(key, flight, site, current!);
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

    private async ValueTask WaitAsync(object key, Flight flight, bool started, SiteTelemetry site, Computation? current, CancellationToken cancellationToken)
    {
        // The starter's context already waits for its own flight (see Begin), so only joiners add an edge here.
        var joiner = started ? null : current;
        var edge = BeginWait(key, flight, site, joiner);
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

                FailIfCycle(key, flight, site, joiner!);
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
    /// failure still depends on its tags). A joiner whose outcome predates an invalidation that returned since goes round again.
    /// </summary>
    private static bool TryTake<T>(Flight<T> flight, bool started, SiteTelemetry site, Computation? current, out T value)
    {
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

    private void Store<T>(object key, T value, TagStamp[] stamps, TimeSpan? timeout)
    {
        using var cacheEntry = _memory.CreateEntry(key);
        cacheEntry.Value = _expiry.Apply(cacheEntry, value, stamps, timeout ?? _defaultTimeout);

        if (_sized)
        {
            cacheEntry.Size = 1;
        }
    }

    /// <summary>What <see cref="Begin"/> changed, for <see cref="Finish"/> to restore and record.</summary>
    private readonly record struct Begun(AmbientFrame? Previous, WaitEdge ParentEdge, ComputationScope Computation);

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
