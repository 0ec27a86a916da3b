namespace TagCache.Postgres.Sharing;

/// <summary>
/// The SQL of the invalidation log of one schema. Writers append under one transaction-scoped advisory lock, so sequence
/// order is commit order: a reader that has applied every row up to a sequence can never see a lower one appear later.
/// </summary>
internal sealed class LogSql
{
    public LogSql(string schema)
    {
        Schema = schema;
        Channel = schema + "_invalidations";
        AppendLock = StableHash.Of("tagcache.append:" + schema);
        PruneLock = StableHash.Of("tagcache.prune:" + schema);
        SchemaLock = StableHash.Of("tagcache.schema:" + schema);
        var s = $"\"{schema}\"";
        CreateSchema =
            [
                "SELECT pg_advisory_xact_lock($1)",
                $"CREATE SCHEMA IF NOT EXISTS {s}",
                $"CREATE SEQUENCE IF NOT EXISTS {s}.invalidation_seq",
                $"CREATE TABLE IF NOT EXISTS {s}.invalidation_log (seq bigint PRIMARY KEY, cache text NOT NULL, tag text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())",
                $"CREATE TABLE IF NOT EXISTS {s}.log_state (id int PRIMARY KEY CHECK (id = 1), log_id uuid NOT NULL DEFAULT gen_random_uuid(), pruned_through bigint NOT NULL DEFAULT 0)",
                $"INSERT INTO {s}.log_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING",
            ];
        Append =
            [
                "SELECT pg_advisory_xact_lock($1)",
                $"INSERT INTO {s}.invalidation_log (seq, cache, tag) SELECT nextval('{s}.invalidation_seq'), $1, t FROM unnest($2::text[]) AS t RETURNING seq",
                // The payload names the writer, so the writer itself need not wake up for its own rows.
                $"SELECT pg_notify('{Channel}', currval('{s}.invalidation_seq')::text || ' ' || $1)",
            ];
        Head = $"SELECT st.log_id, st.pruned_through, greatest(st.pruned_through, coalesce((SELECT max(seq) FROM {s}.invalidation_log), 0)) FROM {s}.log_state st";

        // One statement, so one snapshot: the state row and the rows after it agree.
        ReadAfter =
            $"SELECT st.log_id, st.pruned_through, l.seq, l.cache, l.tag FROM {s}.log_state st " +
            $"LEFT JOIN LATERAL (SELECT seq, cache, tag FROM {s}.invalidation_log WHERE seq > $1 ORDER BY seq LIMIT $2) l ON true ORDER BY l.seq";

        // A prefix by sequence, never a set by time: created_at is each transaction's start, which need not follow the sequence.
        Prune =
            $"WITH lock AS (SELECT pg_try_advisory_xact_lock($1) AS held), " +
            $"cutoff AS (SELECT max(l.seq) AS seq FROM {s}.invalidation_log l, lock WHERE lock.held AND l.created_at < now() - $2::interval), " +
            $"gone AS (DELETE FROM {s}.invalidation_log l USING cutoff WHERE l.seq <= cutoff.seq RETURNING l.seq) " +
            $"UPDATE {s}.log_state SET pruned_through = greatest(pruned_through, (SELECT max(seq) FROM gone)) WHERE id = 1 AND EXISTS (SELECT 1 FROM gone) RETURNING pruned_through";
        Listen = $"LISTEN \"{Channel}\"";
    }

    public string Schema { get; }

    public string Channel { get; }

    public long AppendLock { get; }

    public long PruneLock { get; }

    public long SchemaLock { get; }

    public string[] CreateSchema { get; }

    public string[] Append { get; }

    public string Head { get; }

    public string ReadAfter { get; }

    public string Prune { get; }

    public string Listen { get; }
}
