using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;
using TagCache.Postgres;
using TagCache.Sharing;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>
/// What the PostgreSQL second level costs and saves, against a throw-away server this benchmark starts: the intercepted
/// sync hit with PostgreSQL versions, with and without the second level (a hit in memory never reads it); and one read of a
/// key memory lost, answered by the second level or recomputed from a source query of about a millisecond of server work.
/// </summary>
[MemoryDiagnoser]
public class SecondLevelBenchmarks : IDisposable
{
    private const int Id = 42;
    private const string Key = "product:42";

    private PostgresServer _server = null!;
    private CatalogVariants _versionsOnly = null!;
    private CatalogVariants _withSecondLevel = null!;
    private TagCacheProvider _sharing = null!;
    private TagCacheProvider _computing = null!;
    private NpgsqlDataSource _source = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.Start();
        var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        _source = NpgsqlDataSource.Create(_server.ConnectionString);
        _versionsOnly = new CatalogVariants(services => services.AddTagCache(o => o.UsePostgres(_server.ConnectionString, pg => pg.Schema = schema)));
        _withSecondLevel = new CatalogVariants(services => services.AddTagCache(o => o.UsePostgres(_server.ConnectionString, pg => pg.UseSecondLevel().Schema = schema)));
        _sharing = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg => pg.UseSecondLevel().Schema = schema).TrackStatistics = true);
        _computing = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg => pg.Schema = schema));
        foreach (var provider in new[] { _versionsOnly.GetRequiredService<TagCacheProvider>(), _withSecondLevel.GetRequiredService<TagCacheProvider>(), _sharing, _computing })
        {
            WaitUntilReady(provider);
        }

        _versionsOnly.TagCache.GetProduct(Id);
        _withSecondLevel.TagCache.GetProduct(Id);
        _sharing.GetCache("default").GetOrSet(Key, Query, Tagged);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        var statistics = _sharing.GetCurrentStatistics();
        Console.WriteLine($"// second-level node: L2 hits {statistics?.SecondLevelHits}, faults {statistics?.SecondLevelFaults}, computations {statistics?.ComputationsStored}");
        _versionsOnly.Dispose();
        _withSecondLevel.Dispose();
        _sharing.Dispose();
        _computing.Dispose();
        _source.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    private static TagCacheEntryOptions Tagged => new() { Tags = ["Product_42"] };

    [BenchmarkCategory("Sync hit"), Benchmark(Baseline = true)]
    public Product Hit_PostgresVersions() => _versionsOnly.TagCache.GetProduct(Id);

    [BenchmarkCategory("Sync hit"), Benchmark]
    public Product Hit_PostgresVersionsAndSecondLevel() => _withSecondLevel.TagCache.GetProduct(Id);

    /// <summary>A key memory lost, answered by the second level: one round trip, the payload read and judged.</summary>
    [BenchmarkCategory("Memory lost the key"), Benchmark]
    public string MissInMemory_SecondLevelHit()
    {
        _sharing.GetStore("default").Memory.Remove(Key);
        return _sharing.GetCache("default").GetOrSet(Key, Query, Tagged);
    }

    /// <summary>The same read without a second level: the source query runs.</summary>
    [BenchmarkCategory("Memory lost the key"), Benchmark]
    public string MissInMemory_Recompute()
    {
        _computing.GetStore("default").Memory.Remove(Key);
        return _computing.GetCache("default").GetOrSet(Key, Query, Tagged);
    }

    internal static void WaitUntilReady(TagCacheProvider provider)
    {
        var node = ((SharedTagVersionStore)provider.GetStore(TagCacheOptions.DefaultCacheName).Versions).Node;
        if (!node.Ready.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("A node did not catch up with the log.");
        }
    }

    /// <summary>The source: about a millisecond of server work, as a modest catalog query.</summary>
    private string Query()
    {
        using var command = _source.CreateCommand("SELECT sum(i)::text FROM generate_series(1, 20000) i");
        return (string)command.ExecuteScalar()!;
    }
}

/// <summary>
/// A node that starts after the fleet warmed up: its first 1,000 reads of distinct keys, with the second level (the values
/// another node computed) and without it (each read runs the source query). Each operation starts a node (catch-up of the
/// log included), reads, and stops it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class ColdNodeBenchmarks : IDisposable
{
    private const int Keys = 1_000;

    private PostgresServer _server = null!;
    private NpgsqlDataSource _source = null!;
    private string _schema = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.Start();
        _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
        _source = NpgsqlDataSource.Create(_server.ConnectionString);
        using var warm = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg => pg.UseSecondLevel().Schema = _schema));
        SecondLevelBenchmarks.WaitUntilReady(warm);
        Read(warm);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _source.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Keys)]
    public int ColdNode_Without_SecondLevel() => Start(secondLevel: false);

    [Benchmark(OperationsPerInvoke = Keys)]
    public int ColdNode_With_SecondLevel() => Start(secondLevel: true);

    private int Start(bool secondLevel)
    {
        using var node = TagCacheFactory.Create(o => o.UsePostgres(_server.ConnectionString, pg =>
        {
            pg.Schema = _schema;
            if (secondLevel)
            {
                pg.UseSecondLevel();
            }
        }));
        SecondLevelBenchmarks.WaitUntilReady(node);
        return Read(node);
    }

    private int Read(TagCacheProvider node)
    {
        var cache = node.GetCache("default");
        var total = 0;
        for (var i = 0; i < Keys; i++)
        {
            var id = i;
            total += cache.GetOrSet($"product:{id}", () => Query(id), new TagCacheEntryOptions { Tags = [$"Product_{id}"] }).Length;
        }

        return total;
    }

    private string Query(int id)
    {
        using var command = _source.CreateCommand("SELECT sum(i + $1)::text FROM generate_series(1, 20000) i");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (string)command.ExecuteScalar()!;
    }
}
