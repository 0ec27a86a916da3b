using TagCache.Postgres;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>Sharing tag versions through PostgreSQL (<see cref="SharedVersionsBenchmarks"/>): append, commit and NOTIFY.</summary>
public class PostgresBenchmarks : SharedVersionsBenchmarks
{
    private PostgresServer _server = null!;

    protected override IDisposable StartServer() => _server = PostgresServer.Start();

    protected override void Share(TagCacheOptions options, string space) => options.UsePostgres(_server.ConnectionString, pg => pg.Schema = space);
}
