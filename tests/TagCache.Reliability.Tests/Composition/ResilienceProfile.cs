using System.Globalization;

namespace TagCache.Reliability.Tests.Composition;

/// <summary>
/// The resilience settings of one episode's caches: none, fail-safe, timeouts (soft with fail-safe or hedging, hard alone or both),
/// eager refresh and jitter, in random mixes. Entries live tens of milliseconds, so they expire, fall back, time out and
/// refresh many times within an episode; a fallback may be up to 10 s old. Never <c>FallbackAfterInvalidation</c>: the
/// history check holds every served value to every invalidation that returned before its call began.
/// </summary>
internal sealed record ResilienceProfile(TimeSpan? EntryTimeout, TimeSpan? FailSafeMax, TimeSpan? Throttle, TimeSpan? SoftTimeout, TimeSpan? HardTimeout, double? EagerRefresh, TimeSpan? Jitter, bool Hedge = false)
{
    public static ResilienceProfile None { get; } = new(null, null, null, null, null, null, null);

    /// <summary>Gets a value indicating whether a call may end with a <see cref="TimeoutException"/>.</summary>
    public bool TimesOut => HardTimeout is not null;

    public static ResilienceProfile Pick(Random random)
    {
        if (random.Next(4) == 0)
        {
            return None;
        }

        var failSafe = random.Next(3) > 0;
        var hedge = random.Next(3) == 0;
        var soft = (failSafe || hedge) && random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(2, 10)) : (TimeSpan?)null;
        var hard = random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(20, 60)) : (TimeSpan?)null;
        return new ResilienceProfile(
            TimeSpan.FromMilliseconds(random.Next(20, 200)),
            failSafe ? TimeSpan.FromSeconds(10) : null,
            failSafe ? TimeSpan.FromMilliseconds(random.Next(5, 50)) : null,
            soft,
            hard,
            random.Next(2) == 0 ? 0.3 + (random.NextDouble() * 0.6) : null,
            random.Next(2) == 0 ? TimeSpan.FromMilliseconds(random.Next(1, 30)) : null,
            Hedge: hedge && soft is not null);
    }

    public void ApplyTo(TagCacheOptions options)
    {
        options.TrackStatistics = true;
        if (EntryTimeout is { } timeout)
        {
            options.DefaultTimeout = timeout;
        }

        var resilience = options.Resilience;
        resilience.FailSafeMaxDuration = FailSafeMax;
        resilience.FailSafeThrottleDuration = Throttle;
        resilience.SoftTimeout = SoftTimeout;
        resilience.HardTimeout = HardTimeout;
        resilience.EagerRefreshThreshold = EagerRefresh;
        resilience.JitterMaxDuration = Jitter;
        resilience.Hedge = Hedge ? true : null;
    }

    public override string ToString() => this == None ? "no resilience" : string.Join(", ", new[]
    {
        $"entries {Ms(EntryTimeout)}",
        FailSafeMax is null ? null : $"fail-safe (throttle {Ms(Throttle)})",
        SoftTimeout is null ? null : $"soft {Ms(SoftTimeout)}{(Hedge ? " hedging" : string.Empty)}",
        HardTimeout is null ? null : $"hard {Ms(HardTimeout)}",
        EagerRefresh is { } threshold ? $"eager refresh at {threshold.ToString("0.00", CultureInfo.InvariantCulture)}" : null,
        Jitter is null ? null : $"jitter {Ms(Jitter)}",
    }.Where(p => p is not null));

    private static string Ms(TimeSpan? value) => $"{value?.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms";
}
