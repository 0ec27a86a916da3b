using TagCache.Postgres.SecondLevel;
using TagCache.Postgres.Sharing;
using TagCache.SecondLevel;
using TagCache.Sharing;

namespace TagCache.Postgres;

/// <summary>Shares a TagCache's tag versions with every node through PostgreSQL.</summary>
public static class PostgresTagCacheOptionsExtensions
{
    /// <summary>
    /// Makes every cache's tag versions shared by all nodes that use the same database and schema: an invalidation on one
    /// node (an <c>[InvalidateTags]</c> method, a swept event, <see cref="ITagCache.InvalidateTags"/>) is written to an
    /// invalidation log and applied by every other node, promptly through <c>LISTEN</c>/<c>NOTIFY</c>, surely through
    /// polling and catch-up. Values stay in each node's memory, and a hit reads nothing from the database.
    /// <code>
    /// builder.AddTagCache(options => options.UsePostgres(connectionString, pg => pg.MaxStaleness = TimeSpan.FromSeconds(2)));
    /// </code>
    /// </summary>
    /// <param name="options">The TagCache options.</param>
    /// <param name="connectionString">The shared database, e.g. <c>Host=db;Database=app;Username=app;Password=…</c>.</param>
    /// <param name="configure">Sets the staleness bound, polling, retention and the rest.</param>
    /// <returns>The options, for chaining.</returns>
    /// <exception cref="ArgumentException">The connection string is empty or cannot be parsed, or <c>UsePostgres</c> was already called.</exception>
    /// <exception cref="TagCacheConfigurationException">The options contradict each other (see <see cref="PostgresTagCacheOptions.MaxStaleness"/>).</exception>
    public static TagCacheOptions UsePostgres(this TagCacheOptions options, string connectionString, Action<PostgresTagCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (options.SharedVersions is not null)
        {
            throw new ArgumentException("UsePostgres was already called on these options; call it once, with one connection string.", nameof(options));
        }

        var postgres = new PostgresTagCacheOptions(connectionString);
        configure?.Invoke(postgres);
        var problems = postgres.FindProblems().ToList();
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException(problems, "UsePostgres options");
        }

        ConnectionStrings.ThrowIfInvalid(postgres);
        if (postgres.SecondLevel is { } secondLevel)
        {
            options.SetSecondLevel(new SecondLevelRegistration(_ => new PostgresSecondLevelStore(postgres), secondLevel.Resolve()));
        }

        // Read when the caches are made, after every configure step has run.
        options.SharedVersions = (loggers, time) =>
            new SharedVersionNode(new PostgresInvalidationLog(postgres), postgres.Settings, time, loggers, options.Telemetry.IncludeSensitiveData);
        return options;
    }
}
