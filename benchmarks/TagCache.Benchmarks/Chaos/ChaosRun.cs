using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TagCache.Benchmarks.Chaos;

/// <summary>What one cache did in one scenario.</summary>
public sealed record ChaosResult(string Scenario, string Cache, long Requests, long Answered, double P50Milliseconds, double P99Milliseconds, double MaxMilliseconds, long SourceCalls, long StaleServed);

/// <summary>
/// The chaos benchmark: each cache in front of the same misbehaving source, in the same process, one after the other, under
/// the same load: 32 readers asking for 100 quotes as fast as they get answers (a millisecond's pause between requests), and
/// a writer that changes a quote and invalidates its tag every 20 ms. A read is stale when an invalidation of a newer version
/// of its quote had returned before the read began. Wall-clock figures, so one run on a quiet machine.
/// </summary>
public static class ChaosRun
{
    private const int Quotes = 100;
    private const int Readers = 32;

    public static string Run()
    {
        var results = new List<ChaosResult>();
        foreach (var scenario in new[] { ChaosScenario.Failing, ChaosScenario.SlowTail })
        {
            foreach (var contender in new Func<ChaosSource, IChaosContender>[]
            {
                s => new TagCacheContender(s, TagCacheVariant.Same),
                s => new FusionCacheContender(s),
                s => new TagCacheContender(s, TagCacheVariant.Hedge),
                s => new TagCacheContender(s, TagCacheVariant.FallbackAfterInvalidation),
            })
            {
                var source = new ChaosSource(scenario, Quotes);
                using var cache = contender(source);
                results.Add(Drive(scenario, source, cache).GetAwaiter().GetResult());
                Console.WriteLine(results[^1]);
            }
        }

        return Table(results);
    }

    private static async Task<ChaosResult> Drive(ChaosScenario scenario, ChaosSource source, IChaosContender cache)
    {
        // Warm: every quote cached before the clock starts (a call in the slow tail may time out: ask again).
        for (var id = 0; id < Quotes; id++)
        {
            while (true)
            {
                try
                {
                    await cache.GetAsync(id);
                    break;
                }
                catch (TimeoutException)
                {
                }
            }
        }

        var invalidated = new long[Quotes];
        var latencies = new List<double>[Readers];
        var answered = 0L;
        var stale = 0L;
        var warmCalls = source.Calls;
        source.Start();
        var clock = Stopwatch.StartNew();
        var readers = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
        {
            var random = new Random(r);
            var own = latencies[r] = [];
            while (clock.Elapsed < ChaosScenario.Length)
            {
                var id = random.Next(Quotes);
                var newest = Volatile.Read(ref invalidated[id]);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var quote = await cache.GetAsync(id).ConfigureAwait(false);
                    Interlocked.Increment(ref answered);
                    if (quote.Version < newest)
                    {
                        Interlocked.Increment(ref stale);
                    }
                }
                catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
                {
                }

                own.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                await Task.Delay(1).ConfigureAwait(false);
            }
        })).ToArray();
        var writer = Task.Run(async () =>
        {
            var random = new Random(-1);
            while (clock.Elapsed < ChaosScenario.Length)
            {
                var id = random.Next(Quotes);
                var version = source.Write(id);
                await cache.InvalidateAsync(id).ConfigureAwait(false);
                InterlockedMax(ref invalidated[id], version);
                await Task.Delay(20).ConfigureAwait(false);
            }
        });
        await Task.WhenAll([.. readers, writer]);

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new ChaosResult(
            scenario.Name,
            cache.Name,
            all.Length,
            answered,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            all[^1],
            source.Calls - warmCalls,
            stale);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var observed = Volatile.Read(ref target);
        while (value > observed && Interlocked.CompareExchange(ref target, value, observed) != observed)
        {
            observed = Volatile.Read(ref target);
        }
    }

    private static string Duration(double milliseconds) => milliseconds < 1
        ? string.Create(CultureInfo.InvariantCulture, $"{milliseconds * 1000:F1} µs")
        : string.Create(CultureInfo.InvariantCulture, $"{milliseconds:F1} ms");

    private static double Percentile(double[] sorted, double share) => sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * share))];

    private static string Table(IEnumerable<ChaosResult> results)
    {
        var text = new StringBuilder()
            .AppendLine("| scenario | cache | requests | answered | answered with a value no invalidation had declared stale | p50 | p99 | max | calls reaching the source | values served that an invalidation had declared stale |")
            .AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            text.AppendLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.Cache} | {r.Requests:N0} | {r.Answered:N0} ({100.0 * r.Answered / r.Requests:F2} %) | {r.Answered - r.StaleServed:N0} ({100.0 * (r.Answered - r.StaleServed) / r.Requests:F2} %) | {Duration(r.P50Milliseconds)} | {Duration(r.P99Milliseconds)} | {Duration(r.MaxMilliseconds)} | {r.SourceCalls:N0} | {r.StaleServed:N0} |"));
        }

        return text.ToString();
    }
}
