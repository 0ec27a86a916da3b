namespace TagCache.Resilience;

/// <summary>The range rules of each resilience setting, one place for the options' setters and the attribute's values.</summary>
internal static class ResilienceRules
{
    public static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    public static TimeSpan PositiveOrInfinite(TimeSpan value, string name) =>
        value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive, or Timeout.InfiniteTimeSpan for none.");

    public static TimeSpan ZeroOrMore(TimeSpan value, string name, bool infiniteAllowed) =>
        value >= TimeSpan.Zero || (infiniteAllowed && value == Timeout.InfiniteTimeSpan)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} cannot be negative; TimeSpan.Zero turns it off.");

    public static double Fraction(double value, string name) =>
        value == 0 || (value > 0 && value < 1)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} is a fraction of the entry's lifetime, between 0 and 1 (both excluded), e.g. 0.8; 0 turns an inherited threshold off.");
}
