using TagCache.Postgres.Tests.Support;
using TagCache.Testing.Contract;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>Before a node has read the log's head once, its versions may lack any invalidation: it neither serves nor keeps tagged values.</summary>
[TestClass]
[TestCategory("Server")]
public sealed class StartupTests
{
    [TestMethod]
    public void NodeNotCaughtUpYet_SetAndGetOrSet_KeepNothingTaggedAndServeFresh()
    {
        using var cluster = new Cluster(SharedServer.Server);
        using var node = cluster.Create(log: inner => new PausableLog(inner) { Paused = true });
        var store = Cluster.Store(node);
        var cache = node.GetCache("default");

        cache.Set("tagged", 1, new TagCacheEntryOptions { Tags = ["T"] });
        var computed = cache.GetOrSet("computed", () => 2, new TagCacheEntryOptions { Tags = ["T"] });
        cache.Set("untagged", 3);

        Assert.AreEqual(2, computed);
        Assert.IsFalse(store.Memory.TryGetValue("tagged", out _), "a tagged Set is not kept");
        Assert.IsFalse(store.Memory.TryGetValue("computed", out _), "nor a tagged computation");
        Assert.IsTrue(cache.TryGet<int>("untagged", out var untagged), "an untagged value depends on no version");
        Assert.AreEqual(3, untagged);
    }
}
