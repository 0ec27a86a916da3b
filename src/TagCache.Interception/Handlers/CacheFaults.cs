using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagCache.Interception.Planning;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

/// <summary>
/// Tells a fault of the cache (its storage is down, say) from everything else a caller must see, and logs the former. A
/// cache is an optimisation: when it fails, the call runs uncached rather than failing.
/// </summary>
/// <remarks>
/// A cache fault is any exception out of a cache lookup or store except: the target's own failure (carried as a
/// <see cref="TargetFailure"/>), cancellation of the caller's wait (<see cref="OperationCanceledException"/>), a hard
/// timeout with no fallback (<see cref="TimeoutException"/>: the computation goes on, so running it again would double it), and the
/// errors TagCache raises about the call itself: a cycle, a disposed cache or a configuration error
/// (<see cref="InvalidOperationException"/>), a key holding another method's type (<see cref="InvalidCastException"/>)
/// and an invalid key or tag (<see cref="ArgumentException"/>). Invalidation faults are never swallowed: a dropped
/// invalidation would serve stale data.
/// </remarks>
internal sealed class CacheFaults(ILogger logger)
{
    // A log sink that fails must not turn a fault the call works around into one it cannot.
    private readonly ILogger _logger = SafeLogger.Of(logger);

    public static CacheFaults None { get; } = new(NullLogger.Instance);

    /// <summary>What a call does with an exception out of the cache; a fault is counted and logged.</summary>
    public MissOutcome Classify(Exception exception, CachePlan plan, TargetState target)
    {
        switch (exception)
        {
            case TargetFailure:
                return MissOutcome.TargetFailed;
            case InvalidCastException:
                return MissOutcome.KeyClash;
            case OperationCanceledException or InvalidOperationException or ArgumentException or TimeoutException:
                return MissOutcome.Rethrow;
        }

        // The target may be running on the cache's behalf (an async cache giving up on its own): running it a second
        // time for the same call is worse than passing the fault on.
        if (target == TargetState.Running)
        {
            return MissOutcome.Rethrow;
        }

        plan.Site?.Fault();

        // The key is left out: it holds argument values, which may be personal data.
        _logger.CacheFault(exception, plan.Method);
        return MissOutcome.FallBack;
    }
}

/// <summary>The decision <see cref="CacheFaults.Classify"/> makes for an exception out of the cache.</summary>
internal enum MissOutcome
{
    /// <summary>Give the caller the target's own outcome.</summary>
    TargetFailed,

    /// <summary>The key holds (or is computing) a value of another type: rethrow naming the method.</summary>
    KeyClash,

    /// <summary>A fault of the cache, logged: return the target's result, running it uncached if it has not run.</summary>
    FallBack,

    /// <summary>TagCache's own error about the call, or the caller's cancellation: the caller sees it unchanged.</summary>
    Rethrow,
}
