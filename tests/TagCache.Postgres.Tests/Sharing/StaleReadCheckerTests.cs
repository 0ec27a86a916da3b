using System.Diagnostics;
using TagCache.Postgres.SecondLevel;
using TagCache.Postgres.Tests.Support;
using TagCache.SecondLevel;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>
/// The distributed stale-read checker: writers on random nodes write a row and invalidate it; readers on every node read
/// through cached calls (direct, nested, late-tagged); every read is judged against the history. A read is stale when a
/// newer version's invalidation had returned before the read started; stale beyond the bound when that was more than
/// MaxStaleness before.
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class StaleReadCheckerTests
{
    private const int RowCount = 16;
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(4);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ThreeHealthyNodes_RandomWritesAndNestedReads_NoStaleReadBeyondTheBound()
    {
        var result = Run(brokenThird: false);

        Report("healthy", result);
        Assert.IsGreaterThan(1000, result.Reads, "enough reads to mean something");
        Assert.IsGreaterThan(50, result.Writes);
        Assert.AreEqual(0, result.StaleBeyondBound, "stale reads beyond the bound");
    }

    [TestMethod]
    public void ThirdNodeDeafAndUnbounded_SameLoad_CheckerCatchesItsStaleReads()
    {
        var result = Run(brokenThird: true);

        Report("third node blind to other nodes' rows (it catches up to the head, applying nothing)", result);
        Assert.IsGreaterThan(0, result.StaleBeyondBoundOnThird, "the checker catches a node that misses invalidations");
        Assert.AreEqual(0, result.StaleBeyondBound - result.StaleBeyondBoundOnThird, "the healthy nodes stay within the bound");
    }

    [TestMethod]
    public void ThreeNodesSharingValues_RandomWritesAndNestedReads_NoStaleReadBeyondTheBound()
    {
        var result = Run(brokenThird: false, Shared);

        Report("healthy, values shared through the PostgreSQL second level", result);
        Assert.IsGreaterThan(1000, result.Reads, "enough reads to mean something");
        Assert.IsGreaterThan(0, result.SecondLevelHits, "values computed on one node answered on others");
        Assert.IsGreaterThan(0, result.SecondLevelRejections, "values refused for an invalidation after their stamp");
        Assert.AreEqual(0, result.StaleBeyondBound, "stale reads beyond the bound");
    }

    [TestMethod]
    public void ThirdNodeBehindALaggingSecondLevel_OldValuesRefused_NoStaleReadBeyondTheBound()
    {
        var result = Run(brokenThird: false, Shared, thirdSecondLevel: pg => new LaggingStore(Shared(pg)));

        Report("third node's second level answering each key with its first value forever (a lagging replica)", result);
        Assert.IsGreaterThan(0, result.SecondLevelRejections, "the old values were refused by their stamps");
        Assert.AreEqual(0, result.StaleBeyondBound, "stale reads beyond the bound");
    }

    [TestMethod]
    public void ThirdNodeSkipsTheStampCheck_LaggingSecondLevel_CheckerCatchesItsStaleReads()
    {
        var result = Run(brokenThird: false, Shared, thirdSecondLevel: pg => new RestampingStore(new LaggingStore(Shared(pg))));

        Report("third node accepting every value of a lagging second level (stamps rewritten as after everything)", result);
        Assert.IsGreaterThan(0, result.StaleBeyondBoundOnThird, "the checker catches a node that skips the stamp check");
        Assert.AreEqual(0, result.StaleBeyondBound - result.StaleBeyondBoundOnThird, "the healthy nodes stay within the bound");
    }

    private static ISecondLevelStore Shared(PostgresTagCacheOptions pg) => new PostgresSecondLevelStore(pg);

    private static CheckerResult Run(bool brokenThird, Func<PostgresTagCacheOptions, ISecondLevelStore>? secondLevel = null, Func<PostgresTagCacheOptions, ISecondLevelStore>? thirdSecondLevel = null)
    {
        using var cluster = new Cluster(SharedServer.Server, configure: pg => pg.MaxStaleness = Bound);
        var rows = new SharedRows();
        using var first = new RowsNode(cluster, rows, secondLevel: secondLevel);
        using var second = new RowsNode(cluster, rows, secondLevel: secondLevel);
        using var third = new RowsNode(cluster, rows, brokenThird ? inner => new BlindLog(inner) : null, thirdSecondLevel ?? secondLevel);
        RowsNode[] nodes = [first, second, third];
        foreach (var node in nodes)
        {
            Assert.IsTrue(Cluster.NodeOf(node.Provider).Ready.Wait(TimeSpan.FromSeconds(30)), "the node caught up with the log");
        }

        var stop = Stopwatch.StartNew();
        var reads = new long[3];
        var stale = new long[3];
        var beyond = new long[3];
        var writes = 0L;
        var tasks = new List<Task>();
        // Threads of their own: load that blocks thread-pool threads would starve the nodes' catch-ups, and the checker
        // would measure the pool rather than the sharing.
        tasks.Add(Task.Factory.StartNew(
            () =>
        {
            var random = new Random(1);
            while (stop.Elapsed < Duration)
            {
                var id = random.Next(RowCount);
                nodes[random.Next(3)].Rows.Write(id);
                rows.Invalidated(id, RowsService.LastWritten, Stopwatch.GetTimestamp());
                Interlocked.Increment(ref writes);
                Thread.Sleep(5);
            }
        },
            TaskCreationOptions.LongRunning));
        for (var n = 0; n < 3; n++)
        {
            var index = n;
            tasks.Add(Task.Factory.StartNew(
                () =>
            {
                var random = new Random(100 + index);
                var service = nodes[index].Rows;
                while (stop.Elapsed < Duration)
                {
                    var started = Stopwatch.GetTimestamp();
                    var id = random.Next(RowCount);
                    RowValue[] seen = random.Next(3) switch
                    {
                        0 => [service.Get(id)],
                        1 => service.GetPair(id, (id + 1) % RowCount) is var pair ? [pair.First, pair.Second] : [],
                        _ => [service.GetLate(id)],
                    };
                    foreach (var value in seen)
                    {
                        Interlocked.Increment(ref reads[index]);
                        if (rows.StalenessOf(value, started) is { } staleness)
                        {
                            Interlocked.Increment(ref stale[index]);
                            if (staleness > Bound)
                            {
                                Interlocked.Increment(ref beyond[index]);
                            }
                        }
                    }

                    Thread.Sleep(random.Next(2));
                }
            },
                TaskCreationOptions.LongRunning));
        }

        Assert.IsTrue(Task.WaitAll([.. tasks], Duration + TimeSpan.FromSeconds(60)), "the load finished");
        var statistics = nodes.Select(n => n.Provider.GetCurrentStatistics()!).ToArray();
        return new CheckerResult(
            reads.Sum(),
            Interlocked.Read(ref writes),
            stale.Sum() - beyond.Sum(),
            beyond.Sum(),
            beyond[2],
            statistics.Sum(s => s.MissesBypassed),
            statistics.Sum(s => s.SecondLevelHits),
            statistics.Sum(s => s.SecondLevelRejections));
    }

    private void Report(string what, CheckerResult result)
    {
        var line = $"{what}: {result.Reads} reads, {result.Writes} writes, stale within the bound ({Bound.TotalMilliseconds} ms) {result.StaleWithinBound}, " +
            $"stale beyond it {result.StaleBeyondBound} (third node {result.StaleBeyondBoundOnThird}), reads bypassed {result.Bypassed}, " +
            $"second-level hits {result.SecondLevelHits}, refused {result.SecondLevelRejections}";
        TestContext.WriteLine(line);
        Console.WriteLine($"[checker] {line}");
    }

    private sealed record CheckerResult(long Reads, long Writes, long StaleWithinBound, long StaleBeyondBound, long StaleBeyondBoundOnThird, long Bypassed, long SecondLevelHits = 0, long SecondLevelRejections = 0);
}
