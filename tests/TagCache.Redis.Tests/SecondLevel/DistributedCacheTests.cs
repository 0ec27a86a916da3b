using Microsoft.Extensions.Caching.StackExchangeRedis;
using TagCache.Redis.Tests.Support;
using TagCache.Testing.Contract;

namespace TagCache.Redis.Tests.SecondLevel;

/// <summary>
/// The second level through the <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/> seam with a real
/// server: Microsoft's <see cref="RedisCache"/> on the shared redis-server, tag versions shared through Redis.
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class DistributedCacheTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [TestMethod]
    public void RedisCacheAsSecondLevel_ValueComputedOnANodeServedOnAnother_RefusedOnceInvalidated()
    {
        using var cluster = new EngineCluster(new RedisEngine(() => SharedRedis.Server));
        using var values = new RedisCache(new RedisCacheOptions { Configuration = SharedRedis.Server.Configuration, InstanceName = cluster.Space + ":" });
        var a = cluster.AddNode(o => o.UseSecondLevel(values));
        var b = cluster.AddNode(o => o.UseSecondLevel(values));

        a.GetCache("default").GetOrSet("product:1", () => "tea", new TagCacheEntryOptions { Tags = ["Product_1"] });
        Assert.AreEqual("tea", b.GetCache("default").GetOrSet("product:1", () => "computed on b", new TagCacheEntryOptions { Tags = ["Product_1"] }));
        Assert.AreEqual(1, b.GetCurrentStatistics()!.SecondLevelHits);

        var c = cluster.AddNode(o => o.UseSecondLevel(values));
        a.GetCache("default").InvalidateTags("Product_1");
        var head = long.Parse(SharedRedis.Server.Cli("GET", $"{{{cluster.Space}}}:seq"), System.Globalization.CultureInfo.InvariantCulture);
        EngineCluster.WaitUntil(() => EngineCluster.NodeOf(c).AppliedThrough >= head, Guard, "c applied the invalidation");

        Assert.AreEqual("green tea", c.GetCache("default").GetOrSet("product:1", () => "green tea", new TagCacheEntryOptions { Tags = ["Product_1"] }));
        Assert.AreEqual(1, c.GetCurrentStatistics()!.SecondLevelRejections);
    }
}
