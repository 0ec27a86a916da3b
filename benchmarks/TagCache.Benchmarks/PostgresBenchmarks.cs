using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;
using TagCache.Postgres;
using TagCache.Sharing;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>
/// What sharing tag versions through PostgreSQL costs, against a throw-away server this benchmark starts: the intercepted
/// sync hit with and without it in the same run (a hit reads nothing from the database; it only checks the staleness
/// gate), the invalidation round trip (append, commit, NOTIFY) on one node, and the round trip until a second node has
/// applied it.
/// </summary>
[MemoryDiagnoser]
public class PostgresBenchmarks : IDisposable
{
    private const int Id = 42;

    private PostgresServer _server = null!;
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
        _server = PostgresServer.Start();
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        // Statistics on in both, so the PostgreSQL variant can show its hits were hits; they cost both the same.
        _plain = new CatalogVariants(services => services.AddTagCache(o => o.TrackStatistics = true));
        _shared = new CatalogVariants(services => services.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            o.UsePostgres(_server.ConnectionString, pg => pg.Schema = schema);
        }));
        _writer = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg => pg.Schema = schema));
        // The reader's own meter: its remote invalidations signal the round trip's end without the benchmark thread
        // spinning (which on 2 cores would take the CPU the nodes and the server need).
        _readerMetrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = _readerMetrics.GetRequiredService<IMeterFactory>();
        _reader = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg => pg.Schema = schema), meterFactory: meters);
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
            var node = ((SharedTagVersionStore)provider.GetStore(TagCacheOptions.DefaultCacheName).Versions).Node;
            if (!node.Ready.Wait(TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("A node did not catch up with the log.");
            }
        }

        _plain.TagCache.GetProduct(Id);
        _shared.TagCache.GetProduct(Id);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        // Shown in the log: a shared hit that was really a bypassed miss would make the comparison meaningless.
        var statistics = _shared.GetRequiredService<TagCacheProvider>().GetCurrentStatistics();
        Console.WriteLine($"// PostgreSQL variant: hits {statistics?.Hits}, misses bypassed {statistics?.MissesBypassed}");
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
    public Product Hit_PostgresVersions() => _shared.TagCache.GetProduct(Id);

    /// <summary>One invalidation, returned once committed (and notified); its inverse is invalidations per second on one node and one connection.</summary>
    [BenchmarkCategory("Invalidation"), Benchmark]
    public void Invalidate_OneTag() => _writer.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Tag_" + (_next++ & 1023));

    /// <summary>One invalidation until another node has applied it: NOTIFY, wake-up, catch-up query, bump.</summary>
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
