using Npgsql;
using TagCache.Sharing;

namespace TagCache.Postgres.Sharing;

/// <summary>
/// The invalidation log in PostgreSQL: a table of rows numbered by a sequence under an advisory lock (so sequence order is
/// commit order), a state row with the log's identity and pruning point, and <c>NOTIFY</c> as the wake-up, received on one
/// unpooled <c>LISTEN</c> session. Each operation is one round trip, and has one body for synchronous and asynchronous
/// callers (the <c>async</c> flag picks Npgsql's API; with <see langword="false"/> the task is already done).
/// </summary>
internal sealed class PostgresInvalidationLog : IInvalidationLog
{
    private readonly NpgsqlDataSource _data;
    private readonly NpgsqlDataSource _listenData;
    private readonly LogSql _sql;
    private readonly bool _createSchema;
    private int _schemaReady;

    public PostgresInvalidationLog(PostgresTagCacheOptions options)
    {
        _data = ConnectionStrings.Main(options);
        _listenData = ConnectionStrings.Listen(options);
        _sql = new LogSql(options.Schema);
        _createSchema = options.CreateSchema;
    }

    public string Category => "TagCache.Postgres";

    public string Store => "PostgreSQL";

    public string Location => $"schema '{_sql.Schema}'";

    public LogSql Sql => _sql;

    public async ValueTask DisposeAsync()
    {
        await _data.DisposeAsync().ConfigureAwait(false);
        await _listenData.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Listens on the log's channel until the connection fails; each notification's payload ends with its writer.</summary>
    public async Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken)
    {
        await using var connection = await _listenData.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        connection.Notification += (_, notification) => woken(WriterOf(notification.Payload));
        await using (var listen = new NpgsqlCommand(_sql.Listen, connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        listening();
        while (true)
        {
            await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask EnsureSchemaAsync(bool async, CancellationToken cancellationToken)
    {
        if (!_createSchema || Volatile.Read(ref _schemaReady) == 1)
        {
            return;
        }

        // Idempotent under an advisory lock, so nodes starting together (or two callers here) cannot collide.
        await CreateSchemaAsync(async, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _schemaReady, 1);
    }

    /// <summary>The payload is "sequence writer" (an older version sent a bare sequence, which names no writer).</summary>
    private static string? WriterOf(string payload)
    {
        var space = payload.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? null : payload[(space + 1)..];
    }

    private async ValueTask CreateSchemaAsync(bool async, CancellationToken cancellationToken)
    {
        await using var connection = await Open(async, cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in _sql.CreateSchema)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        batch.BatchCommands[0].Parameters.Add(new NpgsqlParameter { Value = _sql.SchemaLock });
        await Execute(batch, async, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Appends one row per tag and notifies (payload: the last sequence and <paramref name="writer"/>), in one transaction;
    /// returns the sequences given to the rows once committed.
    /// </summary>
    public ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken) =>
        WithSchema(() => AppendOnceAsync(cache, tags, writer, async, cancellationToken));

    /// <summary>Gets the log's identity, what retention deleted, and its head: where a node that starts empty begins.</summary>
    public ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken) => WithSchema(() => HeadOnceAsync(cancellationToken));

    /// <summary>Reads up to <paramref name="limit"/> rows after <paramref name="after"/>, with the log's identity and pruning point, in one snapshot.</summary>
    public ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken) => WithSchema(() => ReadAfterOnceAsync(after, limit, cancellationToken));

    /// <summary>
    /// Runs an operation; if the schema it needs was dropped since it was created (an operator, a restore), creates it again
    /// and runs it once more: a new log with a new identity, which every node then follows after invalidating its cache.
    /// </summary>
    private async ValueTask<T> WithSchema<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (PostgresException exception) when (_createSchema && Missing(exception))
        {
            Volatile.Write(ref _schemaReady, 0);
            return await operation().ConfigureAwait(false);
        }
    }

    /// <summary>The log's table or schema does not exist.</summary>
    internal static bool Missing(PostgresException exception) =>
        exception.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName;

    private async ValueTask<long[]> AppendOnceAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(async, cancellationToken).ConfigureAwait(false);
        await using var connection = await Open(async, cancellationToken).ConfigureAwait(false);

        // No explicit transaction: Npgsql runs a batch as one implicit transaction, so the lock, the rows and the
        // notification commit (or fail) together.
        await using var batch = new NpgsqlBatch(connection);
        var lockCommand = new NpgsqlBatchCommand(_sql.Append[0]);
        lockCommand.Parameters.Add(new NpgsqlParameter { Value = _sql.AppendLock });
        var insert = new NpgsqlBatchCommand(_sql.Append[1]);
        insert.Parameters.Add(new NpgsqlParameter { Value = cache });
        insert.Parameters.Add(new NpgsqlParameter { Value = tags as string[] ?? [.. tags] });
        batch.BatchCommands.Add(lockCommand);
        batch.BatchCommands.Add(insert);
        var notify = new NpgsqlBatchCommand(_sql.Append[2]);
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

    private async ValueTask<LogPosition> HeadOnceAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(async: true, cancellationToken).ConfigureAwait(false);
        await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_sql.Head, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            throw MissingStateRow();
        }

        return new LogPosition(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private async ValueTask<LogPage> ReadAfterOnceAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(async: true, cancellationToken).ConfigureAwait(false);
        await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_sql.ReadAfter, connection);
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
        await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(_sql.Prune, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = _sql.PruneLock });
        command.Parameters.Add(new NpgsqlParameter { Value = retention });
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is long through ? through : null;
    }

    private InvalidOperationException MissingStateRow() =>
        new($"The table \"{_sql.Schema}\".log_state has no row. Create the schema with the SQL in docs/distributed.md, or set CreateSchema = true.");

    private ValueTask<NpgsqlConnection> Open(bool async, CancellationToken cancellationToken) =>
        async ? _data.OpenConnectionAsync(cancellationToken) : ValueTask.FromResult(_data.OpenConnection());

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
