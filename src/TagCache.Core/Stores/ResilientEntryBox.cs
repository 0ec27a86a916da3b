using TagCache.Resilience;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// An entry under a fail-safe or eager-refresh policy: kept in memory past its timeout (up to the fail-safe maximum) as a
/// fallback, and knowing when a read should start its refresh. Its times are the store's <see cref="TimeProvider"/>
/// timestamps, checked on every read, so its timeout is exact whatever the memory cache's clock.
/// </summary>
/// <remarks>
/// A fallback that answered is stored again as a throttled copy (<see cref="Throttle"/>): it answers every read, as a
/// fallback, until its throttle period ends, and then the next read tries the source again. A copy is never older than
/// the fail-safe maximum allows: its deadline is capped by the original's.
/// </remarks>
internal sealed class ResilientEntryBox : CacheEntryBox
{
    private readonly TagStamp[] _stamps;
    private readonly TimeProvider _time;
    private readonly long _storedAt;
    private readonly long _expiresAt;
    private readonly long _refreshAt;
    private readonly long _keptUntil;
    private readonly bool _afterInvalidation;
    private int _refreshClaimed;

    private ResilientEntryBox(object? value, TagStamp[] stamps, TimeProvider time, long storedAt, long expiresAt, long refreshAt, long keptUntil, bool afterInvalidation, bool throttled)
        : base(value)
    {
        _stamps = stamps;
        _time = time;
        _storedAt = storedAt;
        _expiresAt = expiresAt;
        _refreshAt = refreshAt;
        _keptUntil = keptUntil;
        _afterInvalidation = afterInvalidation;
        Throttled = throttled;
    }

    /// <summary>Gets a value indicating whether this is a fallback answering for its throttle period.</summary>
    public bool Throttled { get; }

    public override TagStamp[] Stamps => _stamps;

    public override bool DependsOnTags => _stamps.Length > 0;

    public override bool HasExpired => _time.GetTimestamp() >= _expiresAt;

    /// <summary>Gets a value indicating whether a read that finds it stale leaves it in place, as a fallback the policy allows after an invalidation.</summary>
    public override bool KeepWhenStale => _afterInvalidation;

    /// <summary>Gets a value indicating whether the reclaimer may free it: stale and not kept as a fallback (an expired one stays, for fail-safe).</summary>
    public override bool Reclaimable => !_afterInvalidation && !AreCurrent(_stamps);

    /// <summary>Gets how long ago its value was computed.</summary>
    public TimeSpan Age => _time.GetElapsedTime(_storedAt);

    /// <summary>Boxes a value under <paramref name="policy"/>; returns how long the memory cache must keep it.</summary>
    /// <param name="value">The value.</param>
    /// <param name="stamps">Its tag stamps.</param>
    /// <param name="timeout">Its timeout, jitter included; <see cref="Timeout.InfiniteTimeSpan"/> for never.</param>
    /// <param name="policy">A policy that <see cref="ResiliencePolicy.KeepsEntries"/>.</param>
    /// <param name="time">The store's time.</param>
    /// <param name="keepFor">How long the memory cache keeps it: the later of its timeout and the fail-safe maximum.</param>
    public static ResilientEntryBox Create(object? value, TagStamp[] stamps, TimeSpan timeout, ResiliencePolicy policy, TimeProvider time, out TimeSpan keepFor)
    {
        var now = time.GetTimestamp();
        var lifetime = Ticks(timeout, time);
        var expiresAt = Later(now, lifetime);
        var refreshAt = policy.EagerRefresh is { } fraction && lifetime != long.MaxValue ? now + (long)(lifetime * fraction) : long.MaxValue;
        var keptUntil = policy.FailSafeMax is { } max ? Later(now, Ticks(max, time)) : expiresAt;
        keepFor = Until(Math.Max(expiresAt, keptUntil), now, time);
        return new ResilientEntryBox(value, stamps, time, now, expiresAt, refreshAt, keptUntil, policy.AfterInvalidation, throttled: false);
    }

    /// <summary>Gets a value indicating whether the value may be served: not past its timeout, and every stamp current (a throttled fallback allowed after an invalidation answers anyway).</summary>
    public override bool StampsAreCurrent() =>
        _time.GetTimestamp() < _expiresAt && (AreCurrent(_stamps) || (Throttled && _afterInvalidation));

    /// <summary>
    /// How a read finds it, with one reading of the clock: a hit, a hit that should start the refresh, a throttled fallback;
    /// or absent (past its deadline: kept in place as a fallback) or stale (a tag moved).
    /// </summary>
    public Lookup Look()
    {
        var now = _time.GetTimestamp();
        if (now >= _expiresAt)
        {
            return Lookup.Absent;
        }

        if (!AreCurrent(_stamps))
        {
            return Throttled && _afterInvalidation ? Lookup.Fallback : Lookup.Stale;
        }

        return Throttled ? Lookup.Fallback
            : _refreshAt != long.MaxValue && now >= _refreshAt && Volatile.Read(ref _refreshClaimed) == 0 ? Lookup.RefreshDue
            : Lookup.Hit;
    }

    /// <summary>Claims the one refresh of this entry; false when another reader claimed it.</summary>
    public bool TryClaimRefresh() => Interlocked.Exchange(ref _refreshClaimed, 1) == 0;

    /// <summary>Gets a value indicating whether it is a hit right now (not past its timeout, stamps current): no fallback needed.</summary>
    public bool IsFresh => _time.GetTimestamp() < _expiresAt && AreCurrent(_stamps) && !Throttled;

    /// <summary>
    /// Gets a value indicating whether the value may answer as a fallback for a caller under <paramref name="policy"/>: it is
    /// younger than both its own and the caller's fail-safe maximum, and no invalidation declared it stale (its stamps are
    /// current, and the versions recent enough to tell) unless the policy allows that.
    /// </summary>
    public bool CanAnswerFor(ResiliencePolicy policy, bool versionsRecent)
    {
        if (policy.FailSafeMax is not { } max)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (now >= _keptUntil || now - _storedAt >= Ticks(max, _time))
        {
            return false;
        }

        return policy.AfterInvalidation || ((versionsRecent || _stamps.Length == 0) && AreCurrent(_stamps));
    }

    /// <summary>A copy that answers as a fallback for <paramref name="throttle"/> (never past the fail-safe maximum).</summary>
    /// <param name="throttle">How long it answers without calling the source.</param>
    /// <param name="afterInvalidation">Whether it answers even once an invalidation declared it stale (the caller's policy allowed it).</param>
    /// <param name="keepFor">How long the memory cache keeps the copy.</param>
    public ResilientEntryBox Throttle(TimeSpan throttle, bool afterInvalidation, out TimeSpan keepFor)
    {
        var now = _time.GetTimestamp();
        keepFor = Until(_keptUntil, now, _time);
        return new ResilientEntryBox(Value, _stamps, _time, _storedAt, Math.Min(Later(now, Ticks(throttle, _time)), _keptUntil), long.MaxValue, _keptUntil, afterInvalidation, throttled: true);
    }

    private static long Ticks(TimeSpan span, TimeProvider time) =>
        span == Timeout.InfiniteTimeSpan ? long.MaxValue : (long)Math.Min(span.TotalSeconds * time.TimestampFrequency, long.MaxValue / 4);

    private static TimeSpan Until(long moment, long now, TimeProvider time) =>
        moment == long.MaxValue ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds((double)Math.Max(moment - now, 0) / time.TimestampFrequency);

    private static long Later(long now, long ticks) => ticks == long.MaxValue ? long.MaxValue : now + ticks;
}
