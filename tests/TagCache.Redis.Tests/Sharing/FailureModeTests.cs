using System.Diagnostics;
using StackExchange.Redis;
using TagCache.Redis.Sharing;
using TagCache.Redis.Tests.Support;
using TagCache.Sharing;
using TagCache.Testing;
using TagCache.Testing.Contract;

namespace TagCache.Redis.Tests.Sharing;

/// <summary>
/// Redis's own ways to fail, each on a server of the test's own: connections killed, the server restarted with and without
/// persistence, paused past the bound, flushed, evicting; the stream trimmed past a node that could not read. Nothing
/// that returned is lost, and nothing is served stale beyond the bound: a node that cannot know invalidates everything.
/// </summary>
[TestClass]
[TestCategory("Server")]
public sealed class FailureModeTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(15);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void ClientKill_DuringAStreamOfInvalidations_NoneLost()
    {
        using var server = RedisServer.Start();
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        var writer = cluster.AddNode().GetCache("default");
        var reader = cluster.AddNode();
        var cache = reader.GetCache("default");
        for (var i = 0; i < 400; i++)
        {
            cache.Set($"k{i}", i, new TagCacheEntryOptions { Tags = [$"T{i}"] });
        }

        var failedWrites = 0;
        for (var i = 0; i < 400; i++)
        {
            if (i % 50 == 25)
            {
                // Every client but the one killing: the subscriptions and the nodes' command connections.
                server.Cli("CLIENT", "KILL", "TYPE", "pubsub");
                server.Cli("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
            }

            try
            {
                writer.InvalidateTags($"T{i}");
            }
            catch (TagInvalidationNotSharedException)
            {
                // A write on a killed connection fails loudly; the caller retries it.
                failedWrites++;
                writer.InvalidateTags($"T{i}");
            }
        }

        var caughtUp = EngineCluster.WaitUntil(() => Enumerable.Range(0, 400).All(i => !cache.TryGet<int>($"k{i}", out _)), Guard, "the reader applied every invalidation");
        Report($"CLIENT KILL (pubsub and normal) every 50 of 400 invalidations: 0 lost, {failedWrites} writes failed loudly and were retried, reader caught up {caughtUp.TotalMilliseconds:F0} ms after the last");
    }

    [TestMethod]
    public void FlushAll_EveryNodeInvalidatesItsWholeCache()
    {
        using var server = RedisServer.Start();
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        a.GetCache("default").InvalidateTags("Warm");
        b.GetCache("default").Set("k", 1, new TagCacheEntryOptions { Tags = ["Untouched"] });

        server.Cli("FLUSHALL");

        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("k", out _), Guard, "the node notices the log is gone and invalidates everything");
        EngineCluster.WaitUntil(() => cluster.Logs.Records.Any(r => r.Id.Id == 13 && r.Message.Contains("recreated", StringComparison.Ordinal)), Guard, "the node says why, just after its versions moved");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Restarted_WithOrWithoutPersistence_WholeCacheInvalidatedAndFollowed(bool persistent)
    {
        using var server = RedisServer.Start(persistent);
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        a.GetCache("default").InvalidateTags("Warm");
        b.GetCache("default").Set("k", 1, new TagCacheEntryOptions { Tags = ["Untouched"] });

        server.Stop();
        Assert.ThrowsExactly<TagInvalidationNotSharedException>(() => a.GetCache("default").InvalidateTags("WhileDown"), "a write while Redis is down fails loudly");
        server.StartServer();

        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("k", out _), Guard, "a restart (a new run id) reads as a new log: acknowledged writes may have been lost");
        b.GetCache("default").Set("after", 1, new TagCacheEntryOptions { Tags = ["After"] });
        EngineCluster.WaitUntil(
            () =>
            {
                try
                {
                    a.GetCache("default").InvalidateTags("After");
                    return true;
                }
                catch (TagInvalidationNotSharedException)
                {
                    return false;
                }
            },
            Guard,
            "the writer reconnects");
        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("after", out _), Guard, "the nodes follow the log again");
    }

    [TestMethod]
    public void Paused_PastMaxStaleness_HitsBypassedUntilCaughtUpAgain()
    {
        using var server = RedisServer.Start();
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        var node = cluster.AddNode();
        var cache = node.GetCache("default");
        cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["T"] });

        server.Pause();
        try
        {
            EngineCluster.WaitUntil(() => !cache.TryGet<int>("k", out _), Guard, "past MaxStaleness the node stops serving the tagged hit");
            Assert.IsGreaterThan(0, node.GetCurrentStatistics()!.MissesBypassed);
        }
        finally
        {
            server.Resume();
        }

        EngineCluster.WaitUntil(() => EngineCluster.NodeOf(node).Gate.IsOpen, Guard, "caught up again");
        cache.Set("k2", 2, new TagCacheEntryOptions { Tags = ["T"] });
        Assert.IsTrue(cache.TryGet<int>("k2", out _), "and serves hits");
    }

    [TestMethod]
    public void StreamTrimmedPastANodeThatCouldNotRead_OnReturnItInvalidatesItsWholeCache()
    {
        using var server = RedisServer.Start();
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        PausableLog? paused = null;
        var writer = cluster.AddNode();
        var away = cluster.AddNode(log: inner => paused = new PausableLog(inner));
        away.GetCache("default").Set("k", 1, new TagCacheEntryOptions { Tags = ["Untouched"] });
        paused!.Paused = true;
        writer.GetCache("default").InvalidateTags("Missed");

        // The retention is a day: trim as an operator would (XTRIM) and record it as the scripts do.
        var configuration = ConfigurationOptions.Parse(server.Configuration);
        using (var connection = ConnectionMultiplexer.Connect(configuration))
        {
            var database = connection.GetDatabase();
            var head = (long)database.StringGet($"{{{cluster.Space}}}:seq");
            database.Execute("XTRIM", $"{{{cluster.Space}}}:log", "MINID", $"0-{head + 1}");
            database.StringSet($"{{{cluster.Space}}}:pruned", head);
        }

        paused.Paused = false;

        EngineCluster.WaitUntil(() => !away.GetCache("default").TryGet<int>("k", out _), Guard, "the node that missed trimmed entries invalidates everything");
        EngineCluster.WaitUntil(() => cluster.Logs.Records.Any(r => r.Id.Id == 13 && r.Message.Contains("deleted", StringComparison.Ordinal)), Guard, "the node says why, just after its versions moved");
    }

    [TestMethod]
    public void MemoryLimitWithAllKeysLru_LogEvicted_NodesInvalidateRatherThanServeStale()
    {
        using var server = RedisServer.Start();
        using var cluster = new EngineCluster(new RedisEngine(() => server));
        var a = cluster.AddNode();
        var b = cluster.AddNode();
        a.GetCache("default").InvalidateTags("Warm");
        b.GetCache("default").Set("k", 1, new TagCacheEntryOptions { Tags = ["T"] });
        server.Cli("CONFIG", "SET", "maxmemory", "4mb");
        server.Cli("CONFIG", "SET", "maxmemory-policy", "allkeys-lru");

        using (var connection = ConnectionMultiplexer.Connect(ConfigurationOptions.Parse(server.Configuration)))
        {
            var database = connection.GetDatabase();
            var filler = new byte[16 * 1024];
            for (var i = 0; i < 2000 && database.KeyExists($"{{{cluster.Space}}}:id"); i++)
            {
                database.StringSet($"filler:{i}", filler);
            }
        }

        a.GetCache("default").InvalidateTags("T");

        EngineCluster.WaitUntil(() => !b.GetCache("default").TryGet<int>("k", out _), Guard, "the other node drops the entry: by the invalidation, or by invalidating everything when the log was evicted");
        Report($"allkeys-lru past maxmemory: whole-cache invalidations logged {cluster.Logs.Records.Count(r => r.Id.Id == 13)}; the entry was never served after its invalidation returned");
    }

    private void Report(string line)
    {
        TestContext.WriteLine(line);
        Console.WriteLine("[redis] " + line);
    }
}
