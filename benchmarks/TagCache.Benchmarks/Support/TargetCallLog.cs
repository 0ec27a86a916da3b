using System.Collections.Concurrent;

namespace TagCache.Benchmarks.Support;

/// <summary>
/// Target calls per benchmark operation, recorded by the benchmarks and read by <see cref="TargetCallsColumn"/>. Benchmarks
/// run in-process (see <see cref="BenchmarkConfig"/>), so the column sees what the benchmark recorded.
/// </summary>
public static class TargetCallLog
{
    private static readonly ConcurrentDictionary<string, (long Min, long Max, long Operations)> Calls = new(StringComparer.Ordinal);

    public static void Record(string benchmark, int callers, long calls) =>
        Calls.AddOrUpdate(
            Key(benchmark, callers),
            static (_, calls) => (calls, calls, 1),
            static (_, seen, calls) => (Math.Min(seen.Min, calls), Math.Max(seen.Max, calls), seen.Operations + 1),
            calls);

    /// <summary>Describes the calls: one number when every operation made the same number of calls, else the range.</summary>
    public static string Describe(string benchmark, int callers) =>
        Calls.TryGetValue(Key(benchmark, callers), out var seen)
            ? seen.Min == seen.Max ? $"{seen.Min}" : $"{seen.Min}-{seen.Max}"
            : "?";

    private static string Key(string benchmark, int callers) => $"{benchmark}/{callers}";
}
