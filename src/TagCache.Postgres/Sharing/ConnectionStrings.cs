using Npgsql;

namespace TagCache.Postgres.Sharing;

/// <summary>The two data sources of a node: pooled for writes and reads, and one unpooled session for LISTEN.</summary>
internal static class ConnectionStrings
{
    public const string ApplicationName = "tagcache";
    public const string ListenApplicationName = "tagcache-listen";

    /// <summary>Parses both connection strings now, so a typo fails at configuration rather than at the first invalidation.</summary>
    public static void ThrowIfInvalid(PostgresTagCacheOptions options)
    {
        _ = Parse(options.ConnectionString, nameof(PostgresTagCacheOptions.ConnectionString));
        if (options.ListenConnectionString is { } listen)
        {
            _ = Parse(listen, nameof(PostgresTagCacheOptions.ListenConnectionString));
        }
    }

    public static NpgsqlDataSource Main(PostgresTagCacheOptions options)
    {
        var builder = Parse(options.ConnectionString, nameof(PostgresTagCacheOptions.ConnectionString));
        builder.ApplicationName ??= ApplicationName;
        return NpgsqlDataSource.Create(builder);
    }

    public static NpgsqlDataSource Listen(PostgresTagCacheOptions options)
    {
        var builder = Parse(options.ListenConnectionString ?? options.ConnectionString, nameof(PostgresTagCacheOptions.ListenConnectionString));
        builder.ApplicationName = ListenApplicationName;

        // A session of its own (LISTEN is per session), never returned to a pool that would UNLISTEN it; keepalives make a
        // connection that died without a word (a network cut) fail the wait instead of hanging it.
        builder.Pooling = false;
        if (builder.KeepAlive == 0)
        {
            builder.KeepAlive = Math.Max(1, (int)options.PollInterval.TotalSeconds);
        }

        return NpgsqlDataSource.Create(builder);
    }

    private static NpgsqlConnectionStringBuilder Parse(string connectionString, string name)
    {
        try
        {
            return new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException(
                $"UsePostgres: the {name} cannot be parsed ({exception.Message}). Write it as Npgsql expects, e.g. \"Host=127.0.0.1;Port=5432;Database=app;Username=app;Password=…\".",
                name,
                exception);
        }
    }
}
