using System.Globalization;

namespace TagCache.Resilience;

/// <summary>
/// The resilience settings that apply to one entry, resolved once: every cache's, then the named cache's, then the method's
/// or the call's (<see cref="TagCacheResilienceOptions"/>, where <see langword="null"/> inherits). Immutable, so a method's
/// plan and every miss it makes share one instance.
/// </summary>
internal sealed class ResiliencePolicy
{
    /// <summary>How long a fallback keeps answering when nothing sets <see cref="TagCacheResilienceOptions.FailSafeThrottleDuration"/>.</summary>
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromSeconds(30);

    private ResiliencePolicy(TimeSpan? failSafeMax, TimeSpan throttle, bool afterInvalidation, TimeSpan? softTimeout, TimeSpan? hardTimeout, double? eagerRefresh, TimeSpan? jitter, bool hedge = false)
    {
        Hedge = hedge;
        FailSafeMax = failSafeMax;
        Throttle = throttle;
        AfterInvalidation = afterInvalidation;
        SoftTimeout = softTimeout;
        HardTimeout = hardTimeout;
        EagerRefresh = eagerRefresh;
        Jitter = jitter;
    }

    /// <summary>Gets the policy of an entry nothing configures: no fallback, no timeout, no refresh, no jitter.</summary>
    public static ResiliencePolicy None { get; } = new(null, DefaultThrottle, afterInvalidation: false, null, null, null, null);

    /// <summary>Gets how old a fallback may be; null when fail-safe is off, <see cref="Timeout.InfiniteTimeSpan"/> for no limit.</summary>
    public TimeSpan? FailSafeMax { get; }

    public TimeSpan Throttle { get; }

    /// <summary>Gets a value indicating whether a value an invalidation declared stale may be a fallback (the opt-in).</summary>
    public bool AfterInvalidation { get; }

    public TimeSpan? SoftTimeout { get; }

    public TimeSpan? HardTimeout { get; }

    /// <summary>Gets the fraction of an entry's lifetime after which a read starts a background refresh; null when off.</summary>
    public double? EagerRefresh { get; }

    public TimeSpan? Jitter { get; }

    /// <summary>Gets a value indicating whether a soft timeout with no fallback starts a second computation of the key.</summary>
    public bool Hedge { get; }

    /// <summary>Gets a value indicating whether the soft timeout does anything: it answers with a fallback, or starts a hedge.</summary>
    public bool SoftTimeoutApplies => FailSafe || Hedge;

    public bool FailSafe => FailSafeMax is not null;

    /// <summary>Gets a value indicating whether entries need more than the memory cache's expiry: a fallback's age, a refresh time.</summary>
    public bool KeepsEntries => FailSafe || EagerRefresh is not null;

    /// <summary>Gets a value indicating whether a caller's wait for a computation is limited (a soft timeout counts only with fail-safe).</summary>
    public bool HasTimeouts => (SoftTimeout is not null && SoftTimeoutApplies) || HardTimeout is not null;

    /// <summary>Gets the policy of a page that the output cache renders and stores itself: only the jitter applies.</summary>
    public ResiliencePolicy StoreOnly => Jitter is null ? None : new(null, DefaultThrottle, afterInvalidation: false, null, null, null, Jitter);

    /// <summary>
    /// Gets the policy of a computation that belongs to its caller's request (a fragment's rendering): fail-safe and jitter,
    /// but no timeout or refresh, which would go on rendering after the request.
    /// </summary>
    public ResiliencePolicy Foreground => SoftTimeout is null && HardTimeout is null && EagerRefresh is null
        ? this
        : new(FailSafeMax, Throttle, AfterInvalidation, null, null, null, Jitter);

    /// <summary>This policy with the settings <paramref name="layer"/> sets replacing its own.</summary>
    public ResiliencePolicy Over(TagCacheResilienceOptions? layer) =>
        layer is null || layer.IsEmpty ? this : new(
            layer.FailSafeMaxDuration is { } failSafe ? (failSafe == TimeSpan.Zero ? null : failSafe) : FailSafeMax,
            layer.FailSafeThrottleDuration ?? Throttle,
            layer.FallbackAfterInvalidation ?? AfterInvalidation,
            layer.SoftTimeout is { } soft ? NoneIfInfinite(soft) : SoftTimeout,
            layer.HardTimeout is { } hard ? NoneIfInfinite(hard) : HardTimeout,
            layer.EagerRefreshThreshold is { } threshold ? (threshold == 0 ? null : threshold) : EagerRefresh,
            layer.JitterMaxDuration is { } jitter ? (jitter == TimeSpan.Zero ? null : jitter) : Jitter,
            layer.Hedge ?? Hedge);

    /// <summary>What is wrong with these settings together, for an entry that lives <paramref name="timeout"/> (null: not known).</summary>
    public IEnumerable<string> FindProblems(TimeSpan? timeout)
    {
        if (SoftTimeout is { } soft && HardTimeout is { } hard && soft >= hard)
        {
            yield return $"SoftTimeout ({Show(soft)}) is not shorter than HardTimeout ({Show(hard)}), so the hard timeout would always end the wait first. " +
                "Make the soft timeout shorter than the hard one, or keep only one of them.";
        }

        if (SoftTimeout is { } alone && !SoftTimeoutApplies)
        {
            yield return $"SoftTimeout ({Show(alone)}) is set without fail-safe or hedging: a soft timeout answers with the last good value, which only fail-safe keeps, " +
                "or starts a second computation (Hedge). Set FailSafeMaxDuration or Hedge too, or use HardTimeout alone.";
        }

        if (Hedge && SoftTimeout is null)
        {
            yield return "Hedge is set without a SoftTimeout: the soft timeout is when the second computation starts. Set SoftTimeout too, or turn Hedge off.";
        }

        if (FailSafeMax is { } max && max != Timeout.InfiniteTimeSpan && timeout is { } lifetime)
        {
            if (lifetime == Timeout.InfiniteTimeSpan && !AfterInvalidation)
            {
                yield return $"FailSafeMaxDuration ({Show(max)}) is set for entries that never expire: only an invalidation ends them, and an invalidated value is no fallback " +
                    "unless FallbackAfterInvalidation is on. Give the entries a timeout, or turn fail-safe off.";
            }
            else if (lifetime != Timeout.InfiniteTimeSpan && max <= lifetime)
            {
                yield return $"FailSafeMaxDuration ({Show(max)}) is not longer than the entry's timeout ({Show(lifetime)}): an entry is that old when it expires, so it could never " +
                    "answer as a fallback. Make it longer than the timeout (a day, say), or turn fail-safe off.";
            }
        }
    }

    /// <summary>A duration as messages show it: milliseconds below a second, else seconds.</summary>
    public static string Show(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "none"
        : value < TimeSpan.FromSeconds(1) ? value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + " ms"
        : value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static TimeSpan? NoneIfInfinite(TimeSpan value) => value == Timeout.InfiniteTimeSpan ? null : value;
}
