namespace TagCache.Stores;

/// <summary>Turns a timeout into the memory cache's expiry; a timeout whose moment cannot be written down means "never".</summary>
internal static class Expiry
{
    // The memory cache adds the timeout to its own clock, which on the system's time may run a little ahead of the wall
    // clock (TickClock); a day of margin keeps that sum representable. A timeout within a day of year 9999 never expires.
    private static readonly TimeSpan Margin = TimeSpan.FromDays(1);

    /// <summary>
    /// Gets the expiry relative to now, or null for an entry that never expires: <see cref="Timeout.InfiniteTimeSpan"/>, or
    /// a timeout so long (e.g. <see cref="TimeSpan.MaxValue"/>) that now plus it is past the last representable date.
    /// </summary>
    public static TimeSpan? RelativeToNow(TimeSpan timeout, TimeProvider time) =>
        timeout == Timeout.InfiniteTimeSpan || timeout >= DateTimeOffset.MaxValue - time.GetUtcNow() - Margin ? null : timeout;
}
