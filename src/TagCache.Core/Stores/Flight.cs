using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// One in-flight computation of a key, shared by every caller that misses on it meanwhile. It completes exactly once
/// (value, exception, or abort when its cache is disposed), and its token is cancelled only when every waiter has left,
/// so one caller's cancellation never fails the others.
/// </summary>
internal abstract class Flight
{
    private const int Abandoned = -1;

    private readonly CancellationTokenSource _cancellation = new();
    private int _waiters = 1;
    private int _joined;
    private int _completed;
    private int _timedOut;
    private int _fallbackLogged;
    private object? _shared;

    protected Flight(object key, Computation owner, ResiliencePolicy policy, bool refresh)
    {
        Key = key;
        Owner = owner;
        Policy = policy;
        IsRefresh = refresh;
    }

    /// <summary>Gets the resilience settings of the caller that started it: whether a failure keeps a fallback, and for how long.</summary>
    public ResiliencePolicy Policy { get; }

    /// <summary>Gets a value indicating whether it is a background refresh, which no caller started (though callers may join it).</summary>
    public bool IsRefresh { get; }

    /// <summary>Gets a value indicating whether it is a hedge: a second computation started when a slow one passed its soft timeout; never hedged itself.</summary>
    public bool IsHedge { get; init; }

    /// <summary>Gets a value indicating whether a hedge replaced it in the map; read and written under <c>lock (flight)</c>.</summary>
    public bool Hedged { get; private set; }

    /// <summary>Gets the last good value of the key that answers for a failure, to callers whose policy accepts it; set before completion.</summary>
    public ResilientEntryBox? Fallback { get; private set; }

    /// <summary>Gets the longest timeout a caller's wait for it reached, for its span; null when none did.</summary>
    public TimeoutKind? TimedOut => Volatile.Read(ref _timedOut) is var kind and > 0 ? (TimeoutKind)kind : null;

    /// <summary>Gets the key being computed (a string or a <see cref="CallKey"/>), for diagnostics.</summary>
    public object Key { get; }

    /// <summary>Gets the computation this flight runs: a node of the wait-for graph.</summary>
    public Computation Owner { get; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets the dependencies of the finished value, for waiters that run inside other computations.</summary>
    public TagStamp[] Stamps { get; private set; } = [];

    public bool Poisoned { get; private set; }

    /// <summary>
    /// Gets a value indicating whether the finished value may be handed to a caller who joined late: not if it was computed
    /// from data older than an invalidation that returned meanwhile (poisoned, or a stamp no longer current).
    /// </summary>
    public bool IsFresh => !Poisoned && CacheEntryBox.AreCurrent(Stamps);

    /// <summary>
    /// Gets a value indicating whether a <c>Set</c> or <c>Remove</c> of the key returned while this flight ran, so its older
    /// value must not be stored over the write. Read and written under <c>lock (flight)</c>, together with the store.
    /// </summary>
    public bool Superseded { get; private set; }

    public abstract Type ValueType { get; }

    /// <summary>Gets how many callers joined the flight besides the one that started it, for telemetry.</summary>
    public int Joined => Volatile.Read(ref _joined);

    /// <summary>
    /// Gets the answer of the first caller that joined this flight from outside any computation, with nothing to cancel:
    /// the interceptor's task for its call, which later callers like it share instead of waiting on their own (see
    /// <see cref="TagCacheStore.JoinShared{TShared}"/>). Null until such a caller published it.
    /// </summary>
    public object? Shared => Volatile.Read(ref _shared);

    /// <summary>Publishes <paramref name="answer"/> as <see cref="Shared"/>, unless another joiner did first.</summary>
    public void Share(object answer) => Interlocked.CompareExchange(ref _shared, answer, null);

    /// <summary>Gets a task that completes with the flight, for waiting without knowing its value type.</summary>
    public abstract Task Completion { get; }

    /// <summary>Joins as a waiter; false when every earlier waiter already left and the computation is being cancelled.</summary>
    public bool TryJoin()
    {
        var observed = Volatile.Read(ref _waiters);
        while (observed != Abandoned)
        {
            var previous = Interlocked.CompareExchange(ref _waiters, observed + 1, observed);
            if (previous == observed)
            {
                Interlocked.Increment(ref _joined);
                return true;
            }

            observed = previous;
        }

        return false;
    }

    /// <summary>Leaves without the result; the last waiter to leave cancels the computation (never throwing: see <see cref="CancelComputation"/>).</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _waiters) == 0 && Interlocked.CompareExchange(ref _waiters, Abandoned, 0) == 0)
        {
            CancelComputation();
        }
    }

    /// <summary>Records that a caller's wait for it reached a timeout of this kind.</summary>
    public void NoteTimeout(TimeoutKind kind)
    {
        var observed = Volatile.Read(ref _timedOut);
        while ((int)kind > observed)
        {
            var previous = Interlocked.CompareExchange(ref _timedOut, (int)kind, observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }

    /// <summary>Claims the one log line about a fallback answering for this flight's timeouts.</summary>
    public bool TryNoteFallback() => Interlocked.Exchange(ref _fallbackLogged, 1) == 0;

    /// <summary>Gets a value indicating whether the value came from the second level rather than a computation.</summary>
    public bool FromSecondLevel { get; private set; }

    /// <summary>Gets what is left of the second-level value's lifetime, which its copy in memory keeps; null for a computed value.</summary>
    public TimeSpan? SecondLevelLifetime { get; private set; }

    /// <summary>Records that the second level answered, set by the computation before the flight completes.</summary>
    public void AnsweredBySecondLevel(TimeSpan? remaining)
    {
        FromSecondLevel = true;
        SecondLevelLifetime = remaining ?? System.Threading.Timeout.InfiniteTimeSpan;
    }

    /// <summary>Marks the flight replaced by a hedge; the caller holds <c>lock (this)</c>.</summary>
    public void MarkHedged() => Hedged = true;

    /// <summary>Marks the flight superseded by a write of its key; the caller holds <c>lock (this)</c>.</summary>
    public void Supersede() => Superseded = true;

    /// <summary>Fails the flight (if it has not completed) and cancels its computation: its cache is going away.</summary>
    public abstract void Abort(Exception reason);

    /// <summary>Claims the one completion; the winner records the dependencies before waiters can observe the outcome.</summary>
    protected bool TryClaim(TagStamp[] stamps, bool poisoned, ResilientEntryBox? fallback = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 1)
        {
            return false;
        }

        Stamps = stamps;
        Poisoned = poisoned;
        Fallback = fallback;
        return true;
    }

    /// <summary>
    /// Cancels the computation's token. A callback the factory registered on it may throw: that is the factory's failure,
    /// which its own flight reports, never the leaving caller's (who gets its cancellation) nor whoever cancelled that
    /// caller's token.
    /// </summary>
    protected void CancelComputation()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (AggregateException)
        {
        }
    }
}

/// <summary>A flight producing a value of type <typeparamref name="T"/>.</summary>
internal sealed class Flight<T>(object key, Computation owner, ResiliencePolicy policy, bool refresh = false) : Flight(key, owner, policy, refresh)
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override Type ValueType => typeof(T);

    public override Task Completion => _completion.Task;

    public void Succeed(T value, TagStamp[] stamps, bool poisoned)
    {
        if (TryClaim(stamps, poisoned))
        {
            _completion.SetResult(value);
        }
    }

    /// <param name="exception">The failure.</param>
    /// <param name="stamps">What the failed computation depended on.</param>
    /// <param name="poisoned">Whether it read data older than an invalidation.</param>
    /// <param name="fallback">The last good value of the key, for callers whose policy lets it answer.</param>
    public void Fail(Exception exception, TagStamp[] stamps, bool poisoned, ResilientEntryBox? fallback = null)
    {
        if (TryClaim(stamps, poisoned, fallback))
        {
            _completion.SetException(exception);

            // Nobody may be left to observe it (every waiter cancelled); the exception reached its callers already.
            _ = _completion.Task.Exception;
        }
    }

    public override void Abort(Exception reason)
    {
        Fail(reason, [], poisoned: true);
        CancelComputation();
    }
}
