using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Internal;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// Decides how an entry expires: never late, and early by at most 2 × <see cref="TickClock.Lag"/>. On an injected
/// <see cref="TimeProvider"/> the memory cache runs on it and is exact (tests move time). On the system's time it runs on
/// the cheap <see cref="TickClock"/>: a timeout of a second or more is shortened by the clock's lag (at most 4 % early),
/// and a shorter one, for which that would be a lot, gets a deadline on the exact clock, checked on every hit.
/// </summary>
internal sealed class StoreExpiry
{
    /// <summary>Timeouts below this get an exact deadline, so they expire no more than a few percent early.</summary>
    public static readonly TimeSpan ExactBelow = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly bool _ticks;

    public StoreExpiry(TimeProvider time)
    {
        _time = time;
        _ticks = ReferenceEquals(time, TimeProvider.System);
        Clock = _ticks ? new TickClock() : new TimeProviderClock(time);
    }

    /// <summary>Gets the clock the memory cache runs on.</summary>
    public ISystemClock Clock { get; }

    /// <summary>
    /// Keeps <paramref name="cacheEntry"/> for <paramref name="keepFor"/> at least: a box that decides its own validity
    /// (<see cref="ResilientEntryBox"/>) only needs the memory cache to free it, never before it may be needed.
    /// </summary>
    public void Keep(ICacheEntry cacheEntry, TimeSpan keepFor)
    {
        if (Expiry.RelativeToNow(keepFor, _time) is { } relative)
        {
            cacheEntry.AbsoluteExpirationRelativeToNow = (_ticks ? relative + TickClock.Lag : relative) is { Ticks: > 0 } positive ? positive : TimeSpan.FromTicks(1);
        }
    }

    /// <summary>Sets the expiry of <paramref name="cacheEntry"/> and makes the value to hold: bare, or boxed with its stamps.</summary>
    public object? Apply(ICacheEntry cacheEntry, object? value, TagStamp[] stamps, TimeSpan timeout)
    {
        if (Expiry.RelativeToNow(timeout, _time) is not { } relative)
        {
            return CacheEntryBox.Hold(value, stamps);
        }

        if (!_ticks)
        {
            // Relative to the memory cache's clock, which is the injected TimeProvider.
            cacheEntry.AbsoluteExpirationRelativeToNow = relative;
            return CacheEntryBox.Hold(value, stamps);
        }

        if (relative >= ExactBelow)
        {
            cacheEntry.AbsoluteExpirationRelativeToNow = relative - TickClock.Lag;
            return CacheEntryBox.Hold(value, stamps);
        }

        // The memory cache only frees it (never before the deadline); the deadline decides.
        cacheEntry.AbsoluteExpirationRelativeToNow = relative + TickClock.Lag;
        var deadline = _time.GetTimestamp() + (long)(relative.TotalSeconds * _time.TimestampFrequency);
        return new DeadlineEntryBox(value, stamps, deadline, _time);
    }
}
