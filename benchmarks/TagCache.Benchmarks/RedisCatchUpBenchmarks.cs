using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using TagCache.Redis;
using TagCache.Redis.Sharing;
using TagCache.Sharing;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>
/// How fast a node that was away applies what it missed on Redis: 10,000 invalidations appended by another node's log,
/// then one catch-up (pages of <see cref="RedisTagCacheOptions.BatchSize"/> entries). Entries per second = 10,000 / the mean.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class RedisCatchUpBenchmarks : IDisposable
{
    private const int Rows = 10_000;

    private RedisServer _server = null!;
    private TagCacheProvider _node = null!;
    private SharedVersionNode _shared = null!;
    private RedisInvalidationLog _writer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = RedisServer.Start();
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        var redis = new RedisTagCacheOptions(_server.Configuration) { Prefix = prefix };

        // A node whose loops are never started (neither listening nor polling), so only the timed catch-up applies the entries.
        _shared = new SharedVersionNode(new RedisInvalidationLog(new Connection(ConfigurationOptions.Parse(_server.Configuration)), prefix), redis.Settings, TimeProvider.System, NullLoggerFactory.Instance, includeSensitiveData: false);
        _node = new TagCacheProvider(new TagCacheOptions(), TimeProvider.System, NullLoggerFactory.Instance, meterFactory: null, _shared.For);
        _writer = new RedisInvalidationLog(new Connection(ConfigurationOptions.Parse(_server.Configuration)), prefix);
        _shared.CatchUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < 100; i++)
        {
            _node.GetCache(TagCacheOptions.DefaultCacheName).Set("k" + i, i, new TagCacheEntryOptions { Tags = ["Row_" + i] });
        }
    }

    [IterationSetup]
    public void WriteBacklog()
    {
        // 100 appends of 100 tags: the backlog another node leaves while this one is away.
        for (var batch = 0; batch < Rows / 100; batch++)
        {
            _writer.AppendAsync("default", [.. Enumerable.Range(0, 100).Select(i => "Row_" + i)], "writer", async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _node.Dispose();
        _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task CatchUp_10000Entries() => _shared.CatchUpAsync(CancellationToken.None);
}
