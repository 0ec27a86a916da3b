using Npgsql;
using TagCache.Postgres.SecondLevel;
using TagCache.Postgres.Tests.Support;
using TagCache.Testing;

namespace TagCache.Postgres.Tests.SecondLevel;

/// <summary>
/// Values shared between nodes through the PostgreSQL second level: computed once for the fleet, refused by every node
/// once an invalidation of one of their tags is known to it, warm for a node that starts later, and never an error for a
/// caller when the table is slow, damaged or holds another type.
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class SecondLevelTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task CachedService_ComputedOnOneNode_OtherNodeAnswersWithoutComputing()
    {
        using var cluster = new Cluster(SharedServer.Server);
        var database = new ProductDatabase();
        using var first = new ServiceNode(cluster, database, pg => pg.UseSecondLevel());
        using var second = new ServiceNode(cluster, database, pg => pg.UseSecondLevel());

        var computed = first.Products.GetProduct(1);
        var shared = second.Products.GetProduct(1);
        var computedAsync = await first.AsyncProducts.GetProductValueAsync(2);
        var sharedAsync = await second.AsyncProducts.GetProductValueAsync(2);
        var computedTask = await first.AsyncProducts.GetProductAsync(3);
        var sharedTask = await second.AsyncProducts.GetProductAsync(3);

        Assert.AreEqual(computed, shared);
        Assert.AreEqual(computedAsync, sharedAsync);
        Assert.AreEqual(computedTask, sharedTask);
        Assert.AreEqual(0, second.Calls["GetProduct"] + second.Calls["GetProductValueAsync"] + second.Calls["GetProductAsync"], "the second node computed nothing");
        Assert.AreEqual(3, second.Provider.GetCurrentStatistics()!.SecondLevelHits);
    }

    [TestMethod]
    public void InvalidateTags_OnOneOfThreeNodes_EveryOtherNodeRefusesTheSharedValue()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 0, configure: pg => pg.UseSecondLevel());
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        var c = cluster.AddNode();
        a.GetCache("default").GetOrSet("product:1", () => "tea", Tagged("Product_1"));
        Assert.AreEqual("tea", b.GetCache("default").GetOrSet("product:1", () => "computed on b", Tagged("Product_1")), "shared before the invalidation");

        a.GetCache("default").InvalidateTags("Product_1");
        var head = cluster.Scalar<long>($"SELECT max(seq) FROM \"{cluster.Schema}\".invalidation_log");
        foreach (var node in new[] { b, c })
        {
            Cluster.WaitUntil(() => Cluster.NodeOf(node).AppliedThrough >= head, Guard, "the node applied the invalidation");
        }

        Assert.AreEqual("green tea", c.GetCache("default").GetOrSet("product:1", () => "green tea", Tagged("Product_1")));
        Assert.AreEqual(1, c.GetCurrentStatistics()!.SecondLevelRejections, "the value computed before the invalidation was refused");
        Assert.AreEqual("green tea", b.GetCache("default").GetOrSet("product:1", () => "computed on b again", Tagged("Product_1")), "the new value is shared again");
        Assert.AreEqual("green tea", a.GetCache("default").GetOrSet("product:1", () => "computed on a again", Tagged("Product_1")), "the writer's own invalidation");
    }

    [TestMethod]
    public void InvalidateTags_OnTheWriter_ItsOwnNextReadNeverGetsTheOldSharedValue()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1, configure: pg => pg.UseSecondLevel());
        var cache = cluster.Nodes[0].GetCache("default");
        for (var i = 0; i < 50; i++)
        {
            var value = cache.GetOrSet("k", () => i, Tagged("T"));
            Assert.AreEqual(i, value, "read your own invalidation, at once");
            cache.InvalidateTags("T");
        }
    }

    [TestMethod]
    public void NodeStartedAfterTheWrite_ServesTheValueWithoutComputing_ButNotOneInvalidatedBeforeItStarted()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1, configure: pg => pg.UseSecondLevel());
        var writer = cluster.Nodes[0].GetCache("default");
        writer.InvalidateTags("Unrelated");
        writer.GetOrSet("kept", () => "kept", Tagged("Kept"));
        writer.GetOrSet("invalidated", () => "old", Tagged("Gone"));
        writer.InvalidateTags("Gone");

        var late = cluster.AddNode();

        Assert.AreEqual("kept", late.GetCache("default").GetOrSet("kept", () => "computed", Tagged("Kept")));
        Assert.AreEqual("new", late.GetCache("default").GetOrSet("invalidated", () => "new", Tagged("Gone")), "its ledger read what retention kept of the log");
        Assert.AreEqual(1, late.GetCurrentStatistics()!.SecondLevelHits);
        Assert.AreEqual(1, late.GetCurrentStatistics()!.SecondLevelRejections);
    }

    [TestMethod]
    public void TableLocked_ReadsAndWritesTimeOut_CallsComputeAndCountFaults()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 0, configure: pg => pg.UseSecondLevel(l2 =>
        {
            l2.ReadTimeout = TimeSpan.FromMilliseconds(200);
            l2.WriteTimeout = TimeSpan.FromMilliseconds(200);
        }));
        var node = cluster.AddNode();
        var cache = node.GetCache("default");
        cache.GetOrSet("warm", () => 0, Tagged("T"));

        using var connection = new NpgsqlConnection(cluster.Server.ConnectionString);
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using (var lockTable = new NpgsqlCommand($"LOCK TABLE \"{cluster.Schema}\".cache_values IN ACCESS EXCLUSIVE MODE", connection, transaction))
        {
            lockTable.ExecuteNonQuery();
        }

        var call = Task.Run(() => cache.GetOrSet("k", () => 1, Tagged("T")));
        Assert.IsTrue(call.Wait(Guard), "the call ended at the timeouts, not when the lock was released");
        transaction.Rollback();

        Assert.AreEqual(1, call.Result);
        Assert.AreEqual(2, node.GetCurrentStatistics()!.SecondLevelFaults, "the read and the write");
    }

    [TestMethod]
    public void DamagedRowsAndAnotherType_IgnoredComputedAndReplaced()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1, configure: pg => pg.UseSecondLevel());
        cluster.Nodes[0].GetCache("default").GetOrSet("damaged", () => "v1", Tagged("T"));
        cluster.Nodes[0].GetCache("default").GetOrSet("typed", () => "text", Tagged("T"));
        using (var connection = new NpgsqlConnection(cluster.Server.ConnectionString))
        {
            connection.Open();
            using var damage = new NpgsqlCommand($"UPDATE \"{cluster.Schema}\".cache_values SET payload = '\\x54434c3201ff'::bytea WHERE payload <> ''", connection);
            damage.ExecuteNonQuery();
        }

        var reader = cluster.AddNode();
        Assert.AreEqual("v2", reader.GetCache("default").GetOrSet("damaged", () => "v2", Tagged("T")));
        Assert.AreEqual(1, reader.GetCurrentStatistics()!.SecondLevelFaults, "the damaged value");

        var third = cluster.AddNode();
        Assert.AreEqual("v2", third.GetCache("default").GetOrSet("damaged", () => "v3", Tagged("T")), "the damaged row was replaced");
        third.GetCache("default").GetOrSet("typed", () => "text again", Tagged("T"));
        Assert.AreEqual(42, cluster.AddNode().GetCache("default").GetOrSet("typed", () => 42, Tagged("T")), "a value of another type is refused");
    }

    [TestMethod]
    public async Task Prune_ExpiredRows_DeletedAndNeverRead()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1, configure: pg => pg.UseSecondLevel());
        var cache = cluster.Nodes[0].GetCache("default");
        cache.GetOrSet("short", () => "v", new TagCacheEntryOptions { Tags = ["T"], Timeout = TimeSpan.FromMilliseconds(300) });
        cache.GetOrSet("long", () => "v", Tagged("T"));
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        await using var store = new PostgresSecondLevelStore(Options(cluster));
        var deleted = await store.PruneAsync(CancellationToken.None);

        Assert.AreEqual(1, deleted);
        Assert.AreEqual(1L, cluster.Scalar<long>($"SELECT count(*) FROM \"{cluster.Schema}\".cache_values"));
    }

    [TestMethod]
    public async Task FleetSingleFlight_ThreeNodesMissAtOnce_TheSourceRunsOnce()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 0, configure: pg => pg.UseSecondLevel(l2 => l2.FleetLockTimeout = TimeSpan.FromSeconds(5)));
        TagCacheProvider[] nodes = [cluster.AddNode(), cluster.AddNode(), cluster.AddNode()];
        var calls = 0;
        using var start = new Barrier(nodes.Length);

        var reads = nodes.Select(node => Task.Run(() =>
        {
            start.SignalAndWait();
            return node.GetCache("default").GetOrSet("report", () =>
            {
                Interlocked.Increment(ref calls);
                Thread.Sleep(300);
                return "computed once";
            }, Tagged("Report"));
        })).ToArray();
        var values = await Task.WhenAll(reads);

        Assert.AreEqual(1, calls, "one node computed; the others waited for its lock and read its value");
        Assert.IsTrue(values.All(v => v == "computed once"));
        Assert.AreEqual(2, nodes.Sum(n => n.GetCurrentStatistics()!.SecondLevelHits));
    }

    [TestMethod]
    public void FleetSingleFlight_HolderSlowerThanTheTimeout_OthersComputeOnTheirOwn()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 0, configure: pg => pg.UseSecondLevel(l2 => l2.FleetLockTimeout = TimeSpan.FromMilliseconds(100)));
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        using var holding = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var slow = Task.Run(() => a.GetCache("default").GetOrSet("k", () =>
        {
            holding.Set();
            release.Wait(Guard);
            return "a";
        }, Tagged("T")));
        Assert.IsTrue(holding.Wait(Guard));

        var value = b.GetCache("default").GetOrSet("k", () => "b", Tagged("T"));
        release.Set();

        Assert.AreEqual("b", value, "the lock's timeout passed: b computed on its own");
        Assert.AreEqual("a", slow.Result);
    }

    [TestMethod]
    public void Table_IsUnlogged()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1, configure: pg => pg.UseSecondLevel());
        cluster.Nodes[0].GetCache("default").GetOrSet("k", () => 1, Tagged("T"));

        var persistence = cluster.Scalar<char>($"SELECT relpersistence FROM pg_class WHERE oid = '\"{cluster.Schema}\".cache_values'::regclass");

        Assert.AreEqual('u', persistence);
    }

    private static TagCacheEntryOptions Tagged(params string[] tags) => new() { Tags = tags };

    private static PostgresTagCacheOptions Options(Cluster cluster)
    {
        PostgresTagCacheOptions? captured = null;
        new TagCacheOptions().UsePostgres(cluster.Server.ConnectionString, pg =>
        {
            cluster.Apply(pg);
            captured = pg;
        });
        return captured!;
    }
}
