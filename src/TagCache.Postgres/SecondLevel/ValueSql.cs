using TagCache.Postgres.Sharing;

namespace TagCache.Postgres.SecondLevel;

/// <summary>The SQL of the second-level table of one schema.</summary>
internal sealed class ValueSql
{
    public ValueSql(string schema)
    {
        SchemaLock = StableHash.Of("tagcache.schema:" + schema);
        PruneLock = StableHash.Of("tagcache.prune-values:" + schema);
        var s = $"\"{schema}\"";
        CreateSchema =
            [
                "SELECT pg_advisory_xact_lock($1)",
                $"CREATE SCHEMA IF NOT EXISTS {s}",
                $"CREATE UNLOGGED TABLE IF NOT EXISTS {s}.cache_values (key text PRIMARY KEY, payload bytea NOT NULL, expires_at timestamptz)",
                $"CREATE INDEX IF NOT EXISTS cache_values_expires_at ON {s}.cache_values (expires_at) WHERE expires_at IS NOT NULL",
            ];
        Read = $"SELECT payload FROM {s}.cache_values WHERE key = $1 AND (expires_at IS NULL OR expires_at > now())";
        Write = $"INSERT INTO {s}.cache_values (key, payload, expires_at) VALUES ($1, $2, $3) " +
            "ON CONFLICT (key) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at";
        Remove = $"DELETE FROM {s}.cache_values WHERE key = $1";
        Prune = $"WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS held), " +
            $"gone AS (DELETE FROM {s}.cache_values v USING lock WHERE lock.held AND v.expires_at <= now() RETURNING 1) " +
            "SELECT count(*) FROM gone";
    }

    public long SchemaLock { get; }

    public long PruneLock { get; }

    public string[] CreateSchema { get; }

    public string Read { get; }

    public string Write { get; }

    public string Remove { get; }

    public string Prune { get; }
}
