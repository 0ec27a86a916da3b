namespace TagCache.Stores;

/// <summary>Turns a timeout into the memory cache's expiry; a timeout whose moment cannot be written down means "never".</summary>
internal static class Expiry
{
    /// <summary>
    /// Gets the expiry relative to now, or null for an entry that never expires: <see cref="Timeout.InfiniteTimeSpan"/>, or
    /// a timeout so long (e.g. <see cref="TimeSpan.MaxValue"/>) that now plus it is past the last representable date.
    /// </summary>
    public static TimeSpan? RelativeToNow(TimeSpan timeout, TimeProvider time) =>
        timeout == Timeout.InfiniteTimeSpan || timeout >= DateTimeOffset.MaxValue - time.GetUtcNow() ? null : timeout;
}
