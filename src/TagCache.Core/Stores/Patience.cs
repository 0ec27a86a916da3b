using TagCache.Resilience;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// A caller's timeouts while it waits for the key's computations: the soft one first (it counts only with fail-safe, which
/// provides the fallback, or hedging), then the hard one for what is left of it. Each is a timer on the store's <see cref="TimeProvider"/> linked
/// with the caller's token, as Polly's timeout strategy does, so a wait is one blocking call or one await, never a poll,
/// and tests move time instead of sleeping. Timeouts run from the start of this caller's request, across a hedge.
/// </summary>
internal sealed class Patience : IDisposable
{
    private readonly TimeProvider _time;
    private readonly CancellationToken _callerToken;
    private readonly long _started;
    private readonly TimeSpan? _hard;
    private CancellationTokenSource? _timer;
    private CancellationTokenSource? _linked;

    private Patience(ResiliencePolicy policy, TimeProvider time, CancellationToken callerToken)
    {
        _time = time;
        _callerToken = callerToken;
        _started = time.GetTimestamp();
        _hard = policy.HardTimeout;
        if (policy.SoftTimeoutApplies && policy.SoftTimeout is { } soft)
        {
            Arm(TimeoutKind.Soft, soft);
        }
        else
        {
            Arm(TimeoutKind.Hard, _hard!.Value);
        }
    }

    /// <summary>Gets the timeout the current timer stands for.</summary>
    public TimeoutKind Phase { get; private set; }

    /// <summary>Gets the token to wait with: the caller's, cancelled also when the current timeout elapses.</summary>
    public CancellationToken Token => _linked?.Token ?? _callerToken;

    /// <summary>Gets a value indicating whether the current timeout elapsed (rather than the caller cancelling).</summary>
    public bool Elapsed => _timer is { IsCancellationRequested: true } && !_callerToken.IsCancellationRequested;

    /// <summary>The patience of a caller under <paramref name="policy"/>; null when it has no timeout.</summary>
    public static Patience? For(ResiliencePolicy policy, TimeProvider time, CancellationToken callerToken) =>
        policy.HasTimeouts ? new Patience(policy, time, callerToken) : null;

    /// <summary>The soft timeout elapsed without a fallback: wait on until the hard timeout, or for as long as it takes.</summary>
    public void Next()
    {
        if (Phase == TimeoutKind.Soft && _hard is { } hard)
        {
            Arm(TimeoutKind.Hard, hard - _time.GetElapsedTime(_started));
        }
        else
        {
            Stop();
        }
    }

    /// <summary>Waits on without a timeout (the flight completed meanwhile, say).</summary>
    public void Stop()
    {
        Dispose();
        _timer = null;
        _linked = null;
    }

    public void Dispose()
    {
        _linked?.Dispose();
        _timer?.Dispose();
    }

    private void Arm(TimeoutKind phase, TimeSpan after)
    {
        Dispose();
        Phase = phase;
        _timer = new CancellationTokenSource(after > TimeSpan.Zero ? after : TimeSpan.Zero, _time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(_callerToken, _timer.Token);
    }
}
