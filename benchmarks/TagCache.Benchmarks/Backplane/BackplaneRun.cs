using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using StackExchange.Redis;
using TagCache.Redis;
using TagCache.Testing;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.Backplane.StackExchangeRedis;
using ZiggyCreatures.Caching.Fusion.Serialization.SystemTextJson;

namespace TagCache.Benchmarks.Backplane;

/// <summary>
/// TagCache on Redis against FusionCache 2.9 with its Redis backplane, on one throw-away redis-server, two nodes each:
/// how long an invalidation on node A takes to reach node B, and how many of a stream of 400 invalidations node B never
/// applies when its own connections are killed every 50 (as a network blip or a Redis proxy restart would).
/// </summary>
public static class BackplaneRun
{
    private const int Stream = 400;
    private const int Latencies = 300;

    public static string Run()
    {
        using var server = RedisServer.Start();
        var rows = new List<string>();
        foreach (var contender in new Func<RedisServer, string, INode>[] { (s, n) => new TagCacheNode(s, n), (s, n) => new FusionNode(s, n, distributed: false), (s, n) => new FusionNode(s, n, distributed: true) })
        {
            rows.Add(Measure(server, contender));
            Console.WriteLine(rows[^1]);
        }

        return new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Propagation to another node ({Latencies} invalidations, one at a time) and invalidations lost when that node's connections are killed every 50 of {Stream}")
            .AppendLine()
            .AppendLine("| Cache | p50 | p99 | max | lost of 400 (connections killed) |")
            .AppendLine("|---|---:|---:|---:|---:|")
            .AppendJoin(Environment.NewLine, rows)
            .AppendLine()
            .ToString();
    }

    private static string Measure(RedisServer server, Func<RedisServer, string, INode> create)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        using var a = create(server, "a" + run);
        using var b = create(server, "b" + run);
        Thread.Sleep(500);

        var latencies = new List<double>();
        for (var i = 0; i < Latencies + 20; i++)
        {
            var key = $"lat{i}";
            b.Store(key);
            var clock = Stopwatch.StartNew();
            a.Invalidate(key);
            while (b.Has(key) && clock.Elapsed < TimeSpan.FromSeconds(5))
            {
                Thread.SpinWait(50);
            }

            if (i >= 20)
            {
                latencies.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        for (var i = 0; i < Stream; i++)
        {
            // Stored and read once, as entries in use are.
            b.Store($"k{i}");
            _ = b.Has($"k{i}");
        }

        for (var i = 0; i < Stream; i++)
        {
            if (i % 50 == 25)
            {
                KillConnectionsNamed(server, b.ClientName);
            }

            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    a.Invalidate($"k{i}");
                    break;
                }
                catch (Exception exception) when (exception is TagInvalidationNotSharedException or RedisException)
                {
                    Thread.Sleep(10);
                }
            }

            Thread.Sleep(1);
        }

        Thread.Sleep(TimeSpan.FromSeconds(3));
        var lost = Enumerable.Range(0, Stream).Count(i => b.Has($"k{i}"));
        return string.Create(CultureInfo.InvariantCulture, $"| {a.Name} | {latencies[latencies.Count / 2]:F2} ms | {latencies[(int)(latencies.Count * 0.99)]:F2} ms | {latencies[^1]:F1} ms | {lost} |");
    }

    private static void KillConnectionsNamed(RedisServer server, string name)
    {
        foreach (var line in server.Cli("CLIENT", "LIST").Split('\n'))
        {
            if (line.Contains($" name={name} ", StringComparison.Ordinal))
            {
                var id = line.Split(' ')[0]["id=".Length..];
                server.Cli("CLIENT", "KILL", "ID", id);
            }
        }
    }

    private interface INode : IDisposable
    {
        string Name { get; }

        string ClientName { get; }

        void Store(string key);

        bool Has(string key);

        void Invalidate(string key);
    }

    private sealed class TagCacheNode : INode
    {
        private readonly TagCacheProvider _provider;
        private readonly ITagCache _cache;

        public TagCacheNode(RedisServer server, string name)
        {
            ClientName = "tc-" + name;
            _provider = TagCacheFactory.Create(o => o.UseRedis($"{server.Configuration},name={ClientName}", r => r.Prefix = "bench"));
            _cache = _provider.GetCache("default");
            SecondLevelBenchmarks.WaitUntilReady(_provider);
        }

        public string Name => "TagCache (Redis stream)";

        public string ClientName { get; }

        public void Store(string key) => _cache.Set(key, 1, new TagCacheEntryOptions { Tags = ["T:" + key] });

        public bool Has(string key) => _cache.TryGet<int>(key, out _);

        public void Invalidate(string key) => _cache.InvalidateTags("T:" + key);

        public void Dispose() => _provider.Dispose();
    }

    private sealed class FusionNode : INode
    {
        private readonly FusionCache _cache;
        private readonly RedisBackplane _backplane;
        private readonly RedisCache _distributed;

        private readonly bool _withDistributed;

        /// <summary>
        /// FusionCache with its Redis backplane, values in memory; or its documented multi-node setup, with Redis also as the
        /// distributed cache (where its tag markers live).
        /// </summary>
        public FusionNode(RedisServer server, string name, bool distributed)
        {
            _withDistributed = distributed;
            ClientName = "fc-" + name;
            var configuration = $"{server.Configuration},name={ClientName}";
            _cache = new FusionCache(new FusionCacheOptions { CacheName = "bench" + name[1..], DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromHours(1) } });
            _distributed = new RedisCache(new RedisCacheOptions { Configuration = configuration });
            if (distributed)
            {
                _cache.SetupDistributedCache(_distributed, new FusionCacheSystemTextJsonSerializer());
            }

            _backplane = new RedisBackplane(new RedisBackplaneOptions { Configuration = configuration });
            _cache.SetupBackplane(_backplane);
        }

        public string Name => _withDistributed ? "FusionCache 2.9 + Redis distributed cache + backplane" : "FusionCache 2.9 + Redis backplane (values in memory)";

        public string ClientName { get; }

        public void Store(string key) => _cache.Set(key, 1, tags: ["T:" + key]);

        public bool Has(string key) => _cache.TryGet<int>(key).HasValue;

        public void Invalidate(string key) => _cache.RemoveByTag("T:" + key);

        public void Dispose()
        {
            _cache.Dispose();
            _backplane.Unsubscribe();
            _distributed.Dispose();
        }
    }
}
