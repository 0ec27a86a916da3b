using Microsoft.Extensions.Internal;

namespace TagCache.Stores;

/// <summary>
/// The memory cache's clock when time is the system's: <see cref="Environment.TickCount64"/> (a few nanoseconds) counted
/// from a wall-clock origin, instead of <see cref="DateTime.UtcNow"/> (tens of nanoseconds), which the memory cache reads
/// on every lookup. A reading trails the true tick count by up to its resolution, so the time between two readings is
/// within <see cref="Lag"/> of the real time between them; expiry is relative, so that is what counts, and the store
/// shortens timeouts by the lag to keep expiry never late (see <see cref="StoreExpiry"/>).
/// </summary>
internal sealed class TickClock : ISystemClock
{
    /// <summary>
    /// Gets how far the time between two readings may be from the real time between them: the tick count's resolution
    /// (about 4 ms on Linux, 15.6 ms on Windows) plus the millisecond it truncates.
    /// </summary>
    public static readonly TimeSpan Lag = TimeSpan.FromMilliseconds(20);

    private readonly long _originTicks = DateTimeOffset.UtcNow.UtcTicks;
    private readonly long _originMilliseconds = Environment.TickCount64;

    public DateTimeOffset UtcNow =>
        new(_originTicks + ((Environment.TickCount64 - _originMilliseconds) * TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
}
