using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// What observability costs a hit, in one run: no listener (the default), a <see cref="MeterListener"/> recording every
/// TagCache instrument, and the statistics snapshot turned on. Each variant is its own container (its own meter), so the
/// listener hears only its variant; the hand-written decorator is the baseline, as in <see cref="HitBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TelemetryHitBenchmarks : IDisposable
{
    private const int Id = 42;

    private CatalogVariants _plain = null!;
    private CatalogVariants _listened = null!;
    private CatalogVariants _statistics = null!;
    private MeterListener _listener = null!;
    private long _recorded;

    [GlobalSetup]
    public void Setup()
    {
        _plain = new CatalogVariants();
        _listened = new CatalogVariants(services => services.AddMetrics());
        _statistics = new CatalogVariants(services => services.Configure<TagCacheOptions>(o => o.TrackStatistics = true));

        var scope = _listened.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };

        // What a light aggregator does per measurement: read the value and the tags it is filed under.
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _recorded += value + tags.Length);
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => _recorded += tags.Length);
        _listener.Start();

        foreach (var service in new[] { _plain.HandWritten, _plain.TagCache, _listened.TagCache, _statistics.TagCache })
        {
            service.GetProduct(Id);
            service.GetProductAsync(Id).GetAwaiter().GetResult();
        }

        if (Interlocked.Read(ref _recorded) == 0)
        {
            throw new InvalidOperationException("The listener heard nothing: the measured rows would not include recording.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _listener?.Dispose();
        _plain?.Dispose();
        _listened?.Dispose();
        _statistics?.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Sync, 1 tag"), Benchmark(Baseline = true)]
    public Product HandWritten() => _plain.HandWritten.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 tag"), Benchmark]
    public Product TagCache_NoListener() => _plain.TagCache.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 tag"), Benchmark]
    public Product TagCache_MeterListener() => _listened.TagCache.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 tag"), Benchmark]
    public Product TagCache_Statistics() => _statistics.TagCache.GetProduct(Id);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true)]
    public Task<Product> HandWritten_Task() => _plain.HandWritten.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_NoListener_Task() => _plain.TagCache.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_MeterListener_Task() => _listened.TagCache.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_Statistics_Task() => _statistics.TagCache.GetProductAsync(Id);
}
