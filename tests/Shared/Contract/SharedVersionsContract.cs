using System.Diagnostics;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using TagCache.SecondLevel;
using TagCache.Sharing;

namespace TagCache.Testing.Contract;

/// <summary>
/// What every engine that shares tag versions promises, run on each (PostgreSQL, Redis) through the same scenarios: every
/// node sees every invalidation, none is lost, a log that is lost costs a whole-cache invalidation instead of stale reads,
/// values shared through a second level are refused once invalidated, and the distributed stale-read checker finds no
/// read stale beyond the bound (and finds a broken node's).
/// </summary>
public abstract class SharedVersionsContract
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CheckerBound = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan CheckerDuration = TimeSpan.FromSeconds(4);
    private const int RowCount = 16;

    public TestContext TestContext { get; set; } = null!;

    protected abstract SharingEngine Engine { get; }

    [TestMethod]
    public void InvalidateTags_OnOneOfThreeNodes_EveryNodesEntryGoesStale()
    {
        using var cluster = new EngineCluster(Engine);
        TagCacheProvider[] nodes = [cluster.AddNode(), cluster.AddNode(), cluster.AddNode()];
        foreach (var node in nodes)
        {
            node.GetCache("default").Set("product:1", "tea", Tagged("Product_1"));
            node.GetCache("default").Set("product:2", "coffee", Tagged("Product_2"));
        }

        nodes[0].GetCache("default").InvalidateTags("Product_1");

        foreach (var node in nodes)
        {
            EngineCluster.WaitUntil(() => !node.GetCache("default").TryGet<string>("product:1", out _), Guard, $"every {Engine.Name} node drops product:1");
            Assert.IsTrue(node.GetCache("default").TryGet<string>("product:2", out _), "an entry with another tag is kept");
        }
    }

    [TestMethod]
    public async Task InvalidateTagsAsync_NamedCache_OnlyThatCacheOnOtherNodes()
    {
        using var cluster = new EngineCluster(Engine);
        var a = cluster.AddNode(o => o.AddCache("catalog"));
        var b = cluster.AddNode(o => o.AddCache("catalog"));
        b.GetCache("default").Set("d", 1, Tagged("Shared"));
        b.GetCache("catalog").Set("c", 1, Tagged("Shared"));

        await a.GetCache("catalog").InvalidateTagsAsync(["Shared"]);
        EngineCluster.WaitUntil(() => !b.GetCache("catalog").TryGet<int>("c", out _), Guard, "the catalog entry on the other node goes stale");

        Assert.IsTrue(b.GetCache("default").TryGet<int>("d", out _), "the same tag in another cache is another tag");
    }

    [TestMethod]
    public void InvalidateTags_500Sequential_EveryOneAppliedElsewhere_LatencyReported()
    {
        using var cluster = new EngineCluster(Engine);
        var writer = cluster.AddNode().GetCache("default");
        var reader = cluster.AddNode();
        var cache = reader.GetCache("default");
        var latencies = new List<double>();
        for (var i = 0; i < 520; i++)
        {
            cache.Set($"k{i}", i, Tagged($"T{i}"));
            var clock = Stopwatch.StartNew();
            writer.InvalidateTags($"T{i}");
            EngineCluster.WaitUntil(() => !cache.TryGet<int>($"k{i}", out _), Guard, $"invalidation {i} applied on the other node");
            if (i >= 20)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        var line = $"{Engine.Name}: 500 invalidations until the other node applied each: p50 {latencies[249]:F1} ms, p99 {latencies[494]:F1} ms, max {latencies[^1]:F1} ms";
        TestContext.WriteLine(line);
        Console.WriteLine("[contract] " + line);
        Assert.AreEqual(500, latencies.Count, "none lost");
    }

    [TestMethod]
    public void NodeStartedLater_ServesHitsAndSeesLaterInvalidations()
    {
        using var cluster = new EngineCluster(Engine);
        var first = cluster.AddNode();
        first.GetCache("default").InvalidateTags("Before");

        var late = cluster.AddNode();
        late.GetCache("default").Set("k", 1, Tagged("Before"));
        Assert.IsTrue(late.GetCache("default").TryGet<int>("k", out _), "an invalidation from before it started does not touch what it stores after");

        first.GetCache("default").InvalidateTags("Before");
        EngineCluster.WaitUntil(() => !late.GetCache("default").TryGet<int>("k", out _), Guard, "the late node applies a later invalidation");
    }

    [TestMethod]
    public void LogLost_EveryNodeInvalidatesItsWholeCacheAndFollowsTheNewLog()
    {
        using var cluster = new EngineCluster(Engine);
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        a.GetCache("default").InvalidateTags("Warm");
        b.GetCache("default").Set("untouched", 1, Tagged("Never"));

        Engine.LoseTheLog(cluster.Space);
        a.GetCache("default").InvalidateTags("After");

        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("untouched", out _), Guard, "the other node invalidates everything: it cannot know what the lost log held");
        EngineCluster.WaitUntil(() => cluster.Logs.Records.Any(r => r.Id.Id == 13), Guard, "the node says why (event 13), just after its versions moved");
        b.GetCache("default").Set("again", 2, Tagged("After2"));
        a.GetCache("default").InvalidateTags("After2");
        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("again", out _), Guard, "the nodes follow the new log");
    }

    [TestMethod]
    public void SecondLevel_ComputedOnOneNode_ServedOnAnother_RefusedOnceInvalidated()
    {
        using var cluster = new EngineCluster(Engine);
        var a = cluster.AddNode(secondLevel: store => store);
        var b = cluster.AddNode(secondLevel: store => store);
        a.GetCache("default").GetOrSet("product:1", () => "tea", Tagged("Product_1"));

        Assert.AreEqual("tea", b.GetCache("default").GetOrSet("product:1", () => "computed on b", Tagged("Product_1")));
        Assert.AreEqual(1, b.GetCurrentStatistics()!.SecondLevelHits);

        var c = cluster.AddNode(secondLevel: store => store);
        a.GetCache("default").InvalidateTags("Product_1");
        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<string>("product:1", out _), Guard, "the invalidation reached b");
        EngineCluster.WaitUntil(() => EngineCluster.NodeOf(c).AppliedThrough >= EngineCluster.NodeOf(b).AppliedThrough, Guard, "c applied it too");

        Assert.AreEqual("green tea", c.GetCache("default").GetOrSet("product:1", () => "green tea", Tagged("Product_1")));
        Assert.AreEqual(1, c.GetCurrentStatistics()!.SecondLevelRejections);
    }

    [TestMethod]
    public async Task HybridCache_RemoveByTagAsyncOnOneNode_EvictsOnTheOther_StarRemovesEverything()
    {
        using var cluster = new EngineCluster(Engine);
        var a = HybridCacheOf(cluster.AddNode());
        var b = HybridCacheOf(cluster.AddNode());
        await b.GetOrCreateAsync("tagged", _ => ValueTask.FromResult("v"), tags: ["Product_1"]);
        await b.GetOrCreateAsync("untagged", _ => ValueTask.FromResult("v"));

        await a.RemoveByTagAsync("Product_1");
        await WaitUntilGone(b, "tagged");
        Assert.AreEqual("v", await Peek(b, "untagged"), "another entry is kept");

        await a.RemoveByTagAsync("*");
        await WaitUntilGone(b, "untagged");
    }

    [TestMethod]
    public void StaleReadChecker_ThreeHealthyNodes_NoStaleReadBeyondTheBound()
    {
        var result = RunChecker();

        Report("healthy", result);
        Assert.IsGreaterThan(1000, result.Reads, "enough reads to mean something");
        Assert.IsGreaterThan(50, result.Writes);
        Assert.AreEqual(0, result.StaleBeyondBound, "stale reads beyond the bound");
    }

    [TestMethod]
    public void StaleReadChecker_ThirdNodeDeaf_CheckerCatchesItsStaleReads()
    {
        var result = RunChecker(thirdLog: inner => new BlindLog(inner));

        Report("third node blind to other nodes' rows (it catches up to the head, applying nothing)", result);
        Assert.IsGreaterThan(0, result.StaleBeyondBoundOnThird, "the checker catches a node that misses invalidations");
        Assert.AreEqual(0, result.StaleBeyondBound - result.StaleBeyondBoundOnThird, "the healthy nodes stay within the bound");
    }

    [TestMethod]
    public void StaleReadChecker_ValuesSharedThirdBehindALaggingSecondLevel_NoStaleReadBeyondTheBound()
    {
        var result = RunChecker(secondLevel: store => store, thirdSecondLevel: store => new LaggingStore(store));

        Report("values shared; third node's second level answering each key with its first value forever (a lagging replica)", result);
        Assert.IsGreaterThan(1000, result.Reads, "enough reads to mean something");
        Assert.IsGreaterThan(0, result.SecondLevelHits, "values computed on one node answered on others");
        Assert.IsGreaterThan(0, result.SecondLevelRejections, "old values refused by their stamps");
        Assert.AreEqual(0, result.StaleBeyondBound, "stale reads beyond the bound");
    }

    [TestMethod]
    public void StaleReadChecker_ThirdNodeSkipsTheStampCheck_CheckerCatchesItsStaleReads()
    {
        var result = RunChecker(secondLevel: store => store, thirdSecondLevel: store => new RestampingStore(new LaggingStore(store)));

        Report("values shared; third node accepting every value of a lagging second level (stamps rewritten as after everything)", result);
        Assert.IsGreaterThan(0, result.StaleBeyondBoundOnThird, "the checker catches a node that skips the stamp check");
        Assert.AreEqual(0, result.StaleBeyondBound - result.StaleBeyondBoundOnThird, "the healthy nodes stay within the bound");
    }

    private static TagCacheEntryOptions Tagged(params string[] tags) => new() { Tags = tags };

    /// <summary>TagCache's HybridCache over a node, as <c>AddTagCacheHybridCache</c> registers it.</summary>
    private static HybridCache HybridCacheOf(TagCacheProvider node) =>
        new ServiceCollection().AddSingleton<ITagCacheProvider>(node).AddTagCacheHybridCache().BuildServiceProvider().GetRequiredService<HybridCache>();

    /// <summary>Reads without computing: the cached value, or null.</summary>
    private static ValueTask<string?> Peek(HybridCache cache, string key) =>
        cache.GetOrCreateAsync<string?>(key, _ => ValueTask.FromResult<string?>("computed"), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableUnderlyingData });

    private static async Task WaitUntilGone(HybridCache cache, string key)
    {
        var clock = Stopwatch.StartNew();
        while (await Peek(cache, key) is not null)
        {
            if (clock.Elapsed > Guard)
            {
                throw new AssertFailedException($"Timed out after {Guard} waiting until {key} was removed on the other node.");
            }

            await Task.Delay(2);
        }
    }

    /// <summary>
    /// Writers on random nodes write a row and invalidate it; readers on every node read through cached calls (direct, two
    /// nested, a tag appended while computing); every read is judged against the history of invalidations.
    /// </summary>
    private CheckerResult RunChecker(Func<IInvalidationLog, IInvalidationLog>? thirdLog = null, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel = null, Func<ISecondLevelStore, ISecondLevelStore>? thirdSecondLevel = null)
    {
        using var cluster = new EngineCluster(Engine, CheckerBound);
        var rows = new SharedRows();
        using var first = new RowsNode(cluster, rows, secondLevel: secondLevel);
        using var second = new RowsNode(cluster, rows, secondLevel: secondLevel);
        using var third = new RowsNode(cluster, rows, thirdLog, thirdSecondLevel ?? secondLevel);
        RowsNode[] nodes = [first, second, third];
        foreach (var node in nodes)
        {
            EngineCluster.WaitUntilReady(node.Provider);
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
                while (stop.Elapsed < CheckerDuration)
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
                    while (stop.Elapsed < CheckerDuration)
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
                                if (staleness > CheckerBound)
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

        Assert.IsTrue(Task.WaitAll([.. tasks], CheckerDuration + TimeSpan.FromSeconds(60)), "the load finished");
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
        var line = $"{Engine.Name}, {what}: {result.Reads} reads, {result.Writes} writes, stale within the bound ({CheckerBound.TotalMilliseconds} ms) {result.StaleWithinBound}, " +
            $"stale beyond it {result.StaleBeyondBound} (third node {result.StaleBeyondBoundOnThird}), reads bypassed {result.Bypassed}, " +
            $"second-level hits {result.SecondLevelHits}, refused {result.SecondLevelRejections}";
        TestContext.WriteLine(line);
        Console.WriteLine($"[checker] {line}");
    }

    private sealed record CheckerResult(long Reads, long Writes, long StaleWithinBound, long StaleBeyondBound, long StaleBeyondBoundOnThird, long Bypassed, long SecondLevelHits, long SecondLevelRejections);
}
