using System.Diagnostics;
using TagCache.Postgres.Tests.Support;
using TagCache.Testing;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>
/// Failures of PostgreSQL and of the connections to it, each on a server of its own: no invalidation that returned is
/// lost, and a node that cannot read the log stops serving hits within its bound.
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class OutageTests
{
    private const int Tags = 400;
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ListenerBackendTerminated_DuringStream_ReconnectsAndLosesNothing()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server, nodes: 2);
        var reader = cluster.Nodes[1];
        Arm(reader);

        var result = Stream(cluster.Nodes[0], at: Tags / 3, disrupt: () =>
        {
            var terminated = cluster.Scalar<long>("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'tagcache-listen'");
            Assert.AreEqual(2L, terminated, "both nodes' listeners were terminated");
        });
        var caughtUp = Cluster.WaitUntil(() => Lost(reader) == 0, Guard, "the reader applied every invalidation");
        Cluster.WaitUntil(() => Cluster.NodeOf(reader).IsListening, Guard, "the reader listens again");

        Report("listener terminated", result, caughtUp, reader);
        Assert.AreEqual(0, Lost(reader), "invalidations lost");
        Assert.IsTrue(ControlKept(reader), "only the invalidated tags' entries went stale");
        Assert.IsTrue(cluster.Logs.Records.Any(e => e.Id.Id == 303), "the dropped listener was logged");
    }

    [TestMethod]
    public void PostgresRestarted_UnderLoad_NoInvalidationLostAndReadsBypassedMeanwhile()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server, nodes: 2);
        var reader = cluster.Nodes[1];
        Arm(reader);
        var restartTook = TimeSpan.Zero;

        using var reads = new ReadLoad(reader);
        Task? restart = null;
        var result = Stream(
            cluster.Nodes[0],
            at: Tags / 3,
            disrupt: () => restart = Task.Factory.StartNew(
                () =>
                {
                    // Beside the stream, so writes keep coming while the server goes down and comes back.
                    var clock = Stopwatch.StartNew();
                    server.Restart();
                    restartTook = clock.Elapsed;
                },
                TaskCreationOptions.LongRunning),
            until: () => restart!.IsCompleted);
        Assert.IsTrue(restart!.Wait(Guard), "the restart finished");
        var caughtUp = Cluster.WaitUntil(() => Lost(reader) == 0, Guard, "the reader applied every invalidation");
        reads.Stop();

        Report($"restart (pg_ctl restart -m fast took {restartTook.TotalMilliseconds:F0} ms)", result, caughtUp, reader);
        Assert.AreEqual(0, Lost(reader), "invalidations lost");
        Assert.IsTrue(ControlKept(reader), "only the invalidated tags' entries went stale");
        Assert.IsGreaterThan(0, result.FailedWrites, "writes during the restart failed loudly rather than being dropped");
    }

    [TestMethod]
    public void PostgresStopped_InvalidateTags_ThrowsNamingCacheAndTagsAndInvalidatesLocally()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server, nodes: 1);
        var cache = cluster.Nodes[0].GetCache("default");
        cache.Set("product:1", "tea", new TagCacheEntryOptions { Tags = ["Product_1"] });
        server.Stop();

        var thrown = Assert.ThrowsExactly<TagInvalidationNotSharedException>(() => cache.InvalidateTags("Product_1"));

        Assert.AreEqual("default", thrown.Cache);
        CollectionAssert.AreEqual(new[] { "Product_1" }, thrown.Tags.ToArray());
        StringAssert.StartsWith(thrown.Message, "TagCache invalidated 1 tag (listed in the exception's Tags; set options.Telemetry.IncludeSensitiveData to see them here) in cache 'default' on this node only:");
        Assert.DoesNotContain("Product_1", thrown.Message, "tags are built from argument values: out of messages by default");
        Assert.Contains("other nodes were not told", thrown.Message);
        Assert.IsNotNull(thrown.InnerException);
        Assert.IsFalse(cache.TryGet<string>("product:1", out _), "the local entry is invalidated anyway");
    }

    [TestMethod]
    public async Task PostgresStopped_InvalidateTagsMethod_ThrowsAndLocalEntriesInvalidated()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server);
        using var node = new ServiceNode(cluster, new ProductDatabase());
        var product = node.Products.GetProduct(1);
        await node.AsyncProducts.GetProductAsync(1);
        var state = Cluster.Store(node.Provider).Versions.Acquire("Product_1");
        var version = state.Version;
        server.Stop();

        var thrown = Assert.ThrowsExactly<TagInvalidationNotSharedException>(() => node.Products.Save(product with { Name = "Green tea" }));
        var asyncThrown = await Assert.ThrowsExactlyAsync<TagInvalidationNotSharedException>(() => node.AsyncProducts.SaveAsync(product with { Name = "Oolong" }));

        CollectionAssert.AreEqual(new[] { "Product_1", "Category_10" }, thrown.Tags.ToArray());
        CollectionAssert.Contains(asyncThrown.Tags.ToArray(), "Product_1");
        Assert.AreEqual(version + 2, state.Version, "both invalidations were applied on this node before they threw");
        Assert.AreEqual("Oolong", node.Products.GetProduct(1).Name, "so the method runs again");
    }

    [TestMethod]
    public void PostgresStopped_PastMaxStaleness_ReadsBypassedUntilCaughtUpAgain()
    {
        using var server = PostgresServer.Start();
        using var cluster = new Cluster(server, nodes: 1);
        var node = cluster.Nodes[0];
        var cache = node.GetCache("default");
        cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["T"] });
        server.Stop();

        var closed = Cluster.WaitUntil(() => !cache.TryGet<int>("k", out _), Guard, "the node stops serving hits");
        var computed = cache.GetOrSet("fresh", () => 7, new TagCacheEntryOptions { Tags = ["T"] });
        Assert.AreEqual(7, computed);
        Assert.IsFalse(cache.TryGet<int>("fresh", out _), "nothing is stored while the bound is passed");
        Assert.IsGreaterThan(0L, node.GetCurrentStatistics()!.MissesBypassed);

        server.StartServer();
        var reopened = Cluster.WaitUntil(() => cache.TryGet<int>("k", out _), Guard, "the node serves hits again once caught up");
        TestContext.WriteLine($"hits stopped {closed.TotalMilliseconds:F0} ms after the stop (MaxStaleness 1 s, poll 100 ms); served again {reopened.TotalMilliseconds:F0} ms after the start");
    }

    private static void Arm(TagCacheProvider reader)
    {
        var cache = reader.GetCache("default");
        cache.Set("control", -1, new TagCacheEntryOptions { Tags = ["Control"] });
        for (var i = 0; i < Tags; i++)
        {
            cache.Set("entry:" + i, i, new TagCacheEntryOptions { Tags = ["Stream_" + i] });
        }
    }

    /// <summary>The entry whose tag nobody invalidated: still current, so the reader did not just drop everything.</summary>
    private static bool ControlKept(TagCacheProvider reader) =>
        Cluster.Store(reader).Memory.TryGetValue("control", out var entry) && entry is Stores.CacheEntryBox box && box.StampsAreCurrent();

    /// <summary>Entries of the reader still stamped with a current version of a tag the writer invalidated: lost invalidations.</summary>
    private static int Lost(TagCacheProvider reader)
    {
        var store = Cluster.Store(reader);
        var lost = 0;
        for (var i = 0; i < Tags; i++)
        {
            if (store.Memory.TryGetValue("entry:" + i, out var entry) && entry is Stores.CacheEntryBox box && box.StampsAreCurrent())
            {
                lost++;
            }
        }

        return lost;
    }

    /// <summary>
    /// Invalidates every tag once, one after the other, disrupting PostgreSQL before the tag at <paramref name="at"/>. A write
    /// that fails is retried until it succeeds: what the application does with the exception, and what makes it count.
    /// </summary>
    /// <param name="until">Keeps invalidating the same tags again after the last until this holds, so writes span the disruption.</param>
    private static StreamResult Stream(TagCacheProvider writer, int at, Action disrupt, Func<bool>? until = null)
    {
        var cache = writer.GetCache("default");
        var failed = 0;
        var written = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Tags || (until is not null && !until()); i++, written++)
        {
            if (i == at)
            {
                disrupt();
            }

            var tag = "Stream_" + (i % Tags);
            while (true)
            {
                try
                {
                    cache.InvalidateTags(tag);
                    break;
                }
                catch (TagInvalidationNotSharedException)
                {
                    failed++;
                    Thread.Sleep(20);
                }
            }
        }

        return new StreamResult(written, failed, clock.Elapsed);
    }

    private void Report(string what, StreamResult result, TimeSpan caughtUp, TagCacheProvider reader)
    {
        var statistics = reader.GetCurrentStatistics()!;
        var line = $"{what}: {result.Written} invalidations of {Tags} tags in {result.Took.TotalMilliseconds:F0} ms, {result.FailedWrites} failed writes retried, " +
            $"lost 0 after recovery; reader caught up {caughtUp.TotalMilliseconds:F0} ms after the last write; reads bypassed on the reader: {statistics.MissesBypassed}";
        TestContext.WriteLine(line);
        Console.WriteLine($"[outage] {line}");
    }

    private sealed record StreamResult(int Written, int FailedWrites, TimeSpan Took);

    /// <summary>Reads on a node in the background, so outages are measured under load and bypassed reads counted.</summary>
    private sealed class ReadLoad : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;

        public ReadLoad(TagCacheProvider node)
        {
            var cache = node.GetCache("default");
            _task = Task.Factory.StartNew(
                () =>
            {
                var i = 0;
                while (!_stop.IsCancellationRequested)
                {
                    cache.TryGet<int>("entry:" + (i++ % Tags), out _);
                    if (i % 64 == 0)
                    {
                        Thread.Sleep(1);
                    }
                }
            },
                TaskCreationOptions.LongRunning);
        }

        public void Stop()
        {
            _stop.Cancel();
            _task.Wait(Guard);
        }

        public void Dispose()
        {
            Stop();
            _stop.Dispose();
        }
    }
}
