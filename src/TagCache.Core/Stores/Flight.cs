using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// One in-flight computation of a key, shared by every caller that misses on it meanwhile. It is cancelled only when
/// every waiter has left, so one caller's cancellation never fails the others.
/// </summary>
internal abstract class Flight
{
    private const int Abandoned = -1;

    private readonly CancellationTokenSource _cancellation = new();
    private int _waiters = 1;

    /// <summary>Gets or sets the computation this flight runs; set once, right after construction.</summary>
    public Computation? Owner { get; set; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Gets the dependencies of the finished value, for waiters that run inside other computations.</summary>
    public TagStamp[] Stamps { get; private set; } = [];

    public bool Poisoned { get; private set; }

    public abstract Type ValueType { get; }

    /// <summary>Joins as a waiter; false when every earlier waiter already left and the computation is being cancelled.</summary>
    public bool TryJoin()
    {
        var observed = Volatile.Read(ref _waiters);
        while (observed != Abandoned)
        {
            var previous = Interlocked.CompareExchange(ref _waiters, observed + 1, observed);
            if (previous == observed)
            {
                return true;
            }

            observed = previous;
        }

        return false;
    }

    /// <summary>Leaves without the result; the last waiter to leave cancels the computation.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _waiters) == 0 && Interlocked.CompareExchange(ref _waiters, Abandoned, 0) == 0)
        {
            _cancellation.Cancel();
        }
    }

    protected void Finish(TagStamp[] stamps, bool poisoned)
    {
        Stamps = stamps;
        Poisoned = poisoned;
    }
}

/// <summary>A flight producing a value of type <typeparamref name="T"/>.</summary>
internal sealed class Flight<T> : Flight
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override Type ValueType => typeof(T);

    public void Succeed(T value, TagStamp[] stamps, bool poisoned)
    {
        Finish(stamps, poisoned);
        _completion.SetResult(value);
    }

    public void Fail(Exception exception, TagStamp[] stamps, bool poisoned)
    {
        Finish(stamps, poisoned);
        _completion.SetException(exception);

        // Nobody may be left to observe it (every waiter cancelled); the exception reached its callers already.
        _ = _completion.Task.Exception;
    }
}
