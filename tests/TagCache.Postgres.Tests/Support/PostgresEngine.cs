using TagCache.Postgres.SecondLevel;
using TagCache.Postgres.Sharing;
using TagCache.SecondLevel;
using TagCache.Sharing;
using TagCache.Testing.Contract;

namespace TagCache.Postgres.Tests.Support;

/// <summary>PostgreSQL as the contract tests drive it: a schema per test on the shared server.</summary>
internal sealed class PostgresEngine : SharingEngine
{
    public override string Name => "PostgreSQL";

    public override string NewSpace() => "t_" + Guid.NewGuid().ToString("N")[..16];

    internal override void Share(TagCacheOptions options, string space, TimeSpan maxStaleness, Func<IInvalidationLog, IInvalidationLog>? log, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel)
    {
        PostgresTagCacheOptions? postgres = null;
        options.UsePostgres(SharedServer.Server.ConnectionString, pg =>
        {
            pg.Schema = space;
            pg.PollInterval = TimeSpan.FromMilliseconds(100);
            pg.MaxStaleness = maxStaleness;
            pg.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
            postgres = pg;
        });
        if (log is not null)
        {
            options.SharedVersions = (loggers, time) => new SharedVersionNode(log(new PostgresInvalidationLog(postgres!)), postgres!.Settings, time, loggers, includeSensitiveData: false);
        }

        if (secondLevel is not null)
        {
            options.SetSecondLevel(new SecondLevelRegistration(_ => secondLevel(new PostgresSecondLevelStore(postgres!)), new TagCacheSecondLevelOptions { KeyPrefix = space + ":" }.Resolve()));
        }
    }

    public override void LoseTheLog(string space)
    {
        using var connection = new Npgsql.NpgsqlConnection(SharedServer.Server.ConnectionString);
        connection.Open();
        using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA \"{space}\" CASCADE", connection);
        drop.ExecuteNonQuery();
    }
}

[TestClass]
[TestCategory("Server")]
public sealed class PostgresContractTests : SharedVersionsContract
{
    protected override SharingEngine Engine { get; } = new PostgresEngine();
}
