using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// What sharing tag versions through an engine costs, against a throw-away server each engine's class starts: the
/// intercepted sync hit with and without sharing in the same run (a hit reads nothing from the server; it only checks the
/// staleness gate), the invalidation round trip on one node, and the round trip until a second node has applied it.
/// </summary>
[MemoryDiagnoser]
public abstract class SharedVersionsBenchmarks : IDisposable
{
    private const int Id = 42;

    private CatalogVariants _plain = null!;
    private CatalogVariants _shared = null!;
    private TagCacheProvider _writer = null!;
    private TagCacheProvider _reader = null!;
    private ServiceProvider _readerMetrics = null!;
    private MeterListener _applied = null!;
    private readonly ManualResetEventSlim _remoteApplied = new();
    private IDisposable _server = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _server = StartServer();
        var space = "bench_" + Guid.NewGuid().ToString("N")[..12];

        // Statistics on in both, so the shared variant can show its hits were hits; they cost both the same.
        _plain = new CatalogVariants(services => services.AddTagCache(o => o.TrackStatistics = true));
        _shared = new CatalogVariants(services => services.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            Share(o, space);
        }));
        _writer = TagCacheFactory.Create(o => Share(o, space));

        // The reader's own meter: its remote invalidations signal the round trip's end without the benchmark thread
        // spinning (which on 2 cores would take the CPU the nodes and the server need).
        _readerMetrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _readerMetrics.GetRequiredService<IMeterFactory>();
        _reader = TagCacheFactory.Create(o => Share(o, space), meterFactory: meters);
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
        // Shown in the log: a shared hit that was really a bypassed miss would make the comparison meaningless.
        var statistics = _shared.GetRequiredService<TagCacheProvider>().GetCurrentStatistics();
        Console.WriteLine($"// shared variant: hits {statistics?.Hits}, misses bypassed {statistics?.MissesBypassed}");
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
    public Product Hit_SharedVersions() => _shared.TagCache.GetProduct(Id);

    /// <summary>One invalidation, returned once it is durable in the log (and the wake-up sent).</summary>
    [BenchmarkCategory("Invalidation"), Benchmark]
    public void Invalidate_OneTag() => _writer.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Tag_" + (_next++ & 1023));

    /// <summary>One invalidation until another node has applied it: wake-up, catch-up read, bump.</summary>
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

    /// <summary>Starts the engine's throw-away server.</summary>
    protected abstract IDisposable StartServer();

    /// <summary>Shares the options' versions through the engine, in <paramref name="space"/> (a schema, a key prefix).</summary>
    protected abstract void Share(TagCacheOptions options, string space);
}
