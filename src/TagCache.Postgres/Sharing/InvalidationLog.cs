using Npgsql;

namespace TagCache.Postgres.Sharing;

/// <summary>
/// Reads and writes the invalidation log. Each operation is one round trip, and has one body for synchronous and
/// asynchronous callers (the <c>async</c> flag picks Npgsql's API; with <see langword="false"/> the task is already done).
/// </summary>
internal sealed class InvalidationLog(NpgsqlDataSource data, LogSql sql)
{
    public LogSql Sql => sql;

    public async ValueTask CreateSchemaAsync(bool async, CancellationToken cancellationToken)
    {
        await using var connection = await Open(async, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in sql.CreateSchema)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        batch.BatchCommands[0].Parameters.Add(new NpgsqlParameter { Value = sql.SchemaLock });
        await Execute(batch, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends one row per tag and notifies (payload: the last sequence and <paramref name="writer"/>), in one transaction;
    /// returns the sequences given to the rows once committed.
    /// </summary>
    public async ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken)
    {
        await using var connection = await Open(async, cancellationToken).ConfigureAwait(false);

        // No explicit transaction: Npgsql runs a batch as one implicit transaction, so the lock, the rows and the
        // notification commit (or fail) together.
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand(sql.Append[0]);
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = sql.AppendLock });
        var insert = new NpgsqlBatchCommand(sql.Append[1]);
        insert.Parameters.Add(new NpgsqlParameter { Value = cache });
        insert.Parameters.Add(new NpgsqlParameter { Value = tags as string[] ?? [.. tags] });
        batch.BatchCommands.Add(lockCommand);
        batch.BatchCommands.Add(insert);
        var notify = new NpgsqlBatchCommand(sql.Append[2]);
        notify.Parameters.Add(new NpgsqlParameter { Value = writer });
        batch.BatchCommands.Add(notify);

        var sequences = new List<long>(tags.Count);
        await using (var reader = async ? await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false) : batch.ExecuteReader())
        {
            // The lock's row, then the inserted sequences, then the notification's row.
            await NextResult(reader, async, cancellationToken).ConfigureAwait(false);
            while (async ? await reader.ReadAsync(cancellationToken).ConfigureAwait(false) : reader.Read())
            {
                sequences.Add(reader.GetInt64(0));
            }

            while (await NextResult(reader, async, cancellationToken).ConfigureAwait(false))
            {
            }
        }

        return [.. sequences];
    }

    /// <summary>Gets the log's identity, what retention deleted, and its head: where a node that starts empty begins.</summary>
    public async ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.Head, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw MissingStateRow();
        }

        return new LogPosition(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Reads up to <paramref name="limit"/> rows after <paramref name="after"/>, with the log's identity and pruning point, in one snapshot.</summary>
    public async ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.ReadAfter, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<LogRow>();
        LogPosition? position = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            position ??= new LogPosition(reader.GetGuid(0), reader.GetInt64(1), Head: after);
            if (!reader.IsDBNull(2))
            {
                rows.Add(new LogRow(reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
            }
        }

        return new LogPage(position ?? throw MissingStateRow(), rows);
    }

    /// <summary>Deletes the rows older than <paramref name="retention"/>, unless another node is doing it; returns the new pruning point, or null.</summary>
    public async ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql.Prune, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = sql.PruneLock });
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long through ? through : null;
    }

    private InvalidOperationException MissingStateRow() =>
        new($"The table \"{sql.Schema}\".log_state has no row. Create the schema with the SQL in docs/distributed.md, or set CreateSchema = true.");

    private ValueTask<NpgsqlConnection> Open(bool async, CancellationToken cancellationToken) =>
        async ? data.OpenConnectionAsync(cancellationToken) : ValueTask.FromResult(data.OpenConnection());

    private static async ValueTask Execute(NpgsqlBatch batch, bool async, CancellationToken cancellationToken)
    {
        if (async)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            batch.ExecuteNonQuery();
        }
    }

    private static async ValueTask<bool> NextResult(NpgsqlDataReader reader, bool async, CancellationToken cancellationToken) =>
        async ? await reader.NextResultAsync(cancellationToken).ConfigureAwait(false) : reader.NextResult();
}

/// <summary>Where the log stands: which log it is (a recreated log has a new id), what retention deleted, and a sequence.</summary>
internal readonly record struct LogPosition(Guid LogId, long PrunedThrough, long Head);

/// <summary>One invalidated tag.</summary>
internal readonly record struct LogRow(long Sequence, string Cache, string Tag);

/// <summary>What one catch-up query read.</summary>
internal sealed record LogPage(LogPosition Position, IReadOnlyList<LogRow> Rows);
