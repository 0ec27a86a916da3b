namespace TagCache.Postgres.Tests.Support;

internal static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        var index = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }

    public static string Describe(IReadOnlyList<double> milliseconds) =>
        $"n={milliseconds.Count} p50={Of(milliseconds, 50):F2} ms p99={Of(milliseconds, 99):F2} ms max={milliseconds.Max():F2} ms";
}
