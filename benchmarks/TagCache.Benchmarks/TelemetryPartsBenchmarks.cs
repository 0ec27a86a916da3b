using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Telemetry;

namespace TagCache.Benchmarks;

/// <summary>
/// The one thing observability adds to a hit, timed alone in one run: counting it at the method's call site, with no
/// listener (the default), with a <see cref="MeterListener"/> recording it, and with the statistics snapshot on.
/// </summary>
[MemoryDiagnoser]
public class TelemetryPartsBenchmarks : IDisposable
{
    private const string Method = "ICatalogService.GetProduct";

    private readonly List<IDisposable> _owned = [];
    private SiteTelemetry _plain = null!;
    private SiteTelemetry _listened = null!;
    private SiteTelemetry _statistics = null!;
    private long _recorded;

    [GlobalSetup]
    public void Setup()
    {
        _plain = Site(TagCacheFactory.Create());
        _statistics = Site(TagCacheFactory.Create(o => o.TrackStatistics = true));

        var meters = new ServiceCollectionMeterFactory();
        _owned.Add(meters);
        _listened = Site(TagCacheFactory.Create(meterFactory: meters.Factory));
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters.Factory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => _recorded += value + tags.Length);
        listener.Start();
        _owned.Add(listener);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public void Hit_NoListener() => _plain.Hit();

    [Benchmark]
    public void Hit_MeterListener() => _listened.Hit();

    [Benchmark]
    public void Hit_Statistics() => _statistics.Hit();

    private SiteTelemetry Site(TagCacheProvider provider)
    {
        _owned.Add(provider);
        return provider.GetStore(TagCacheOptions.DefaultCacheName).SiteOf(Method);
    }

    /// <summary>The host's meter factory, as <c>services.AddMetrics()</c> makes it.</summary>
    private sealed class ServiceCollectionMeterFactory : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        public IMeterFactory Factory => _services.GetRequiredService<IMeterFactory>();

        public void Dispose() => _services.Dispose();
    }
}
