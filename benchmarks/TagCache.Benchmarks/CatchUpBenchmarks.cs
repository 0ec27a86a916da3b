using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TagCache.Postgres;
using TagCache.Postgres.Sharing;
using TagCache.Sharing;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>
/// How fast a node that was away applies what it missed: 10,000 rows written straight into the log, then one catch-up
/// (pages of <see cref="PostgresTagCacheOptions.BatchSize"/> rows). Rows per second = 10,000 / the mean.
/// </summary>
[MemoryDiagnoser]
[InvocationCount(1)]
public class CatchUpBenchmarks : IDisposable
{
    private const int Rows = 10_000;

    private PostgresServer _server = null!;
    private TagCacheProvider _node = null!;
    private SharedVersionNode _shared = null!;
    private string _schema = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = PostgresServer.Start();
        _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];

        // A node whose loops are never started (neither listening nor polling), so only the timed catch-up applies the rows.
        var pg = new PostgresTagCacheOptions(_server.ConnectionString) { Schema = _schema };
        _shared = new SharedVersionNode(new PostgresInvalidationLog(pg), pg.Settings, TimeProvider.System, NullLoggerFactory.Instance, includeSensitiveData: false);
        _node = new TagCacheProvider(new TagCacheOptions(), TimeProvider.System, NullLoggerFactory.Instance, meterFactory: null, _shared.For);
        _shared.CatchUpAsync(CancellationToken.None).GetAwaiter().GetResult();
        for (var i = 0; i < 100; i++)
        {
            // Live states, so applying a row bumps something, as on a node with entries.
            _node.GetCache(TagCacheOptions.DefaultCacheName).Set("k" + i, i, new TagCacheEntryOptions { Tags = ["Row_" + i] });
        }
    }

    [IterationSetup]
    public void WriteBacklog()
    {
        using var connection = new NpgsqlConnection(_server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            $"INSERT INTO \"{_schema}\".invalidation_log (seq, cache, tag) SELECT nextval('\"{_schema}\".invalidation_seq'), 'default', 'Row_' || (g % 100) FROM generate_series(1, {Rows}) g",
            connection);
        command.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _node.Dispose();
        _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public Task CatchUp_10000Rows() => _shared.CatchUpAsync(CancellationToken.None);
}
