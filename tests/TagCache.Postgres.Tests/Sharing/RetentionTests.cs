using TagCache.Postgres.Tests.Support;
using TagCache.Testing.Contract;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>Old rows are deleted, and a node that was away for longer than the log keeps them drops its whole cache.</summary>
[TestClass]
[TestCategory("Server")]
public sealed class RetentionTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void NodePausedPastRetention_OnReturn_InvalidatesItsWholeCacheAndLogsWhy()
    {
        using var cluster = new Cluster(SharedServer.Server, configure: pg =>
        {
            pg.Retention = TimeSpan.FromSeconds(1.5);
            pg.PruneInterval = TimeSpan.FromMilliseconds(200);
        });
        var writer = cluster.AddNode();
        PausableLog? log = null;
        var paused = cluster.AddNode(log: inner => log = new PausableLog(inner));
        var cache = paused.GetCache("default");
        cache.Set("missed", 1, new TagCacheEntryOptions { Tags = ["Missed"] });
        cache.Set("untouched", 2, new TagCacheEntryOptions { Tags = ["Untouched"] });

        log!.Paused = true;
        writer.GetCache("default").InvalidateTags("Missed");
        Cluster.WaitUntil(
            () => cluster.Scalar<long>($"SELECT pruned_through FROM \"{cluster.Schema}\".log_state") > Cluster.NodeOf(paused).AppliedThrough,
            Guard,
            "retention deletes the row the paused node has not read");
        log.Paused = false;
        var catchUps = Cluster.NodeOf(paused).CatchUps;
        Cluster.WaitUntil(() => Cluster.NodeOf(paused).CatchUps > catchUps, Guard, "the node catches up again");

        Assert.IsFalse(cache.TryGet<int>("missed", out _), "the invalidation it missed is applied");
        Assert.IsFalse(cache.TryGet<int>("untouched", out _), "and, since it cannot know what else it missed, every other entry too");
        Assert.IsTrue(cluster.Logs.Records.Any(e => e.Id.Id == 13 && e.Message.Contains("were deleted (older than Retention", StringComparison.Ordinal)), "the reason is logged");
    }

    [TestMethod]
    public void Prune_RowsOlderThanRetention_DeletedAndNodesKeepWorking()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 2, configure: pg =>
        {
            pg.Retention = TimeSpan.FromSeconds(1.5);
            pg.PruneInterval = TimeSpan.FromMilliseconds(200);
        });
        var writer = cluster.Nodes[0].GetCache("default");
        for (var i = 0; i < 50; i++)
        {
            writer.InvalidateTags("Old_" + i);
        }

        Cluster.WaitUntil(() => cluster.Scalar<long>($"SELECT count(*) FROM \"{cluster.Schema}\".invalidation_log") == 0, Guard, "the old rows are deleted");
        var reader = cluster.Nodes[1].GetCache("default");
        reader.Set("k", 1, new TagCacheEntryOptions { Tags = ["New"] });
        writer.InvalidateTags("New");
        Cluster.WaitUntil(() => !reader.TryGet<int>("k", out _), Guard, "a new invalidation still arrives");

        Assert.IsFalse(cluster.Logs.Records.Any(e => e.Id.Id == 13), "nodes that kept up never drop their whole cache");
        Assert.IsGreaterThanOrEqualTo(50L, cluster.Scalar<long>($"SELECT pruned_through FROM \"{cluster.Schema}\".log_state"));
    }
}
