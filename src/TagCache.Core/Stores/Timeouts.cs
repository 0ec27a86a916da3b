namespace TagCache.Stores;

/// <summary>The one rule for entry lifetimes: positive, or <see cref="Timeout.InfiniteTimeSpan"/> for entries that never expire.</summary>
internal static class Timeouts
{
    public static TimeSpan Valid(TimeSpan value, string name) =>
        value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, or Timeout.InfiniteTimeSpan for entries that never expire.");
}
