using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;
using TagCache.Redis;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>
/// What sharing tag versions through Redis costs, against a throw-away redis-server this benchmark starts: the intercepted
/// sync hit with and without it in the same run (a hit reads nothing from Redis; it only checks the staleness gate), the
/// invalidation round trip (the append script: counter, stream entry, publish) on one node, and the round trip until a
/// second node has applied it.
/// </summary>
[MemoryDiagnoser]
public class RedisBenchmarks : IDisposable
{
    private const int Id = 42;

    private RedisServer _server = null!;
    private CatalogVariants _plain = null!;
    private CatalogVariants _shared = null!;
    private TagCacheProvider _writer = null!;
    private TagCacheProvider _reader = null!;
    private ServiceProvider _readerMetrics = null!;
    private MeterListener _applied = null!;
    private readonly ManualResetEventSlim _remoteApplied = new();
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = RedisServer.Start();
        var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
        _plain = new CatalogVariants(services => services.AddTagCache(o => o.TrackStatistics = true));
        _shared = new CatalogVariants(services => services.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            o.UseRedis(_server.Configuration, r => r.Prefix = prefix);
        }));
        _writer = TagCacheFactory.Create(o => o.UseRedis(_server.Configuration, r => r.Prefix = prefix));
        _readerMetrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _readerMetrics.GetRequiredService<IMeterFactory>();
        _reader = TagCacheFactory.Create(o => o.UseRedis(_server.Configuration, r => r.Prefix = prefix), meterFactory: meters);
        _applied = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "tagcache.invalidations" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _applied.SetMeasurementEventCallback<long>((_, _, _, _) => _remoteApplied.Set());
        _applied.Start();
        foreach (var provider in new[] { _shared.GetRequiredService<TagCacheProvider>(), _writer, _reader })
        {
            SecondLevelBenchmarks.WaitUntilReady(provider);
        }

        _plain.TagCache.GetProduct(Id);
        _shared.TagCache.GetProduct(Id);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        var statistics = _shared.GetRequiredService<TagCacheProvider>().GetCurrentStatistics();
        Console.WriteLine($"// Redis variant: hits {statistics?.Hits}, misses bypassed {statistics?.MissesBypassed}");
        _plain.Dispose();
        _shared.Dispose();
        _writer.Dispose();
        _applied.Dispose();
        _reader.Dispose();
        _readerMetrics.Dispose();
        _remoteApplied.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Sync hit"), Benchmark(Baseline = true)]
    public Product Hit_InMemoryVersions() => _plain.TagCache.GetProduct(Id);

    [BenchmarkCategory("Sync hit"), Benchmark]
    public Product Hit_RedisVersions() => _shared.TagCache.GetProduct(Id);

    /// <summary>One invalidation, returned once the script ran (counter, stream entry, publish).</summary>
    [BenchmarkCategory("Invalidation"), Benchmark]
    public void Invalidate_OneTag() => _writer.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Tag_" + (_next++ & 1023));

    /// <summary>One invalidation until another node has applied it: publish, wake-up, catch-up script, bump.</summary>
    [BenchmarkCategory("Invalidation"), Benchmark]
    public void Invalidate_UntilOtherNodeApplied()
    {
        _remoteApplied.Reset();
        _writer.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("RoundTrip");
        if (!_remoteApplied.Wait(TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException("The other node did not apply the invalidation within 10 s.");
        }
    }
}
