using Npgsql;
using TagCache.Postgres.Sharing;
using TagCache.SecondLevel;

namespace TagCache.Postgres.SecondLevel;

/// <summary>
/// The second level in PostgreSQL: an <c>UNLOGGED</c> table (a cache needs no crash safety, and unlogged writes skip the
/// WAL) of payloads by key with an expiry. Expired rows are never read, and are deleted every <c>PruneInterval</c> by
/// one node at a time (an advisory lock).
/// </summary>
internal sealed class PostgresSecondLevelStore : ISecondLevelStore
{
    private readonly NpgsqlDataSource _data;
    private readonly ValueSql _sql;
    private readonly string _schema;
    private readonly bool _createSchema;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pruning;
    private int _schemaReady;

    public PostgresSecondLevelStore(PostgresTagCacheOptions options)
    {
        _data = ConnectionStrings.Main(options);
        _sql = new ValueSql(options.Schema);
        _schema = options.Schema;
        _createSchema = options.CreateSchema;
        _pruning = Task.Run(() => PruneLoopAsync(options.PruneInterval));
    }

    public string Name => "PostgreSQL";

    public ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) => WithSchema(() => ReadOnceAsync(key, cancellationToken));

    public ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken) =>
        Done(WithSchema(async () =>
        {
            await WriteOnceAsync(key, payload, expires, cancellationToken).ConfigureAwait(false);
            return true;
        }));

    public ValueTask RemoveAsync(string key, CancellationToken cancellationToken) =>
        Done(WithSchema(async () =>
        {
            await RemoveOnceAsync(key, cancellationToken).ConfigureAwait(false);
            return true;
        }));

    private static async ValueTask Done(ValueTask<bool> operation) => await operation.ConfigureAwait(false);

    /// <summary>Runs an operation; if its table was dropped since it was created, creates it again and runs it once more.</summary>
    private async ValueTask<T> WithSchema<T>(Func<ValueTask<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (PostgresException exception) when (_createSchema && PostgresInvalidationLog.Missing(exception))
        {
            Volatile.Write(ref _schemaReady, 0);
            return await operation().ConfigureAwait(false);
        }
    }

    private async ValueTask<byte[]?> ReadOnceAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _data.CreateCommand(_sql.Read);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    private async ValueTask WriteOnceAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _data.CreateCommand(_sql.Write);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = payload });
        command.Parameters.Add(new NpgsqlParameter<DateTime?> { TypedValue = expires?.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask RemoveOnceAsync(string key, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _data.CreateCommand(_sql.Remove);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Fleet-wide single flight: a session advisory lock on a connection of its own, tried every 20 ms until
    /// <paramref name="timeout"/>. Released by disposing the handle; if the node dies, PostgreSQL releases it with the session.
    /// </summary>
    public async ValueTask<IAsyncDisposable?> LockAsync(string key, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var id = StableHash.Of("tagcache.flight:" + _schema + ":" + key);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                await using (var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = id });
                    if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
                    {
                        return new FleetLock(connection, id);
                    }
                }

                if (waited.Elapsed >= timeout)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    return null;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Deletes expired rows, unless another node is doing it; returns how many.</summary>
    internal async ValueTask<int> PruneAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var command = _data.CreateCommand(_sql.Prune);
        command.Parameters.Add(new NpgsqlParameter { Value = _sql.PruneLock });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long deleted ? (int)deleted : 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _pruning.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        await _data.DisposeAsync().ConfigureAwait(false);
    }

    private async Task PruneLoopAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await PruneAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    // The next tick tries again; reads skip expired rows meanwhile.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private async ValueTask EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (!_createSchema || Volatile.Read(ref _schemaReady) == 1)
        {
            return;
        }

        await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var statement in _sql.CreateSchema)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        batch.BatchCommands[0].Parameters.Add(new NpgsqlParameter { Value = _sql.SchemaLock });
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _schemaReady, 1);
    }
}

/// <summary>A held fleet-wide lock: unlocked, then its connection returned (whose reset would release it anyway).</summary>
internal sealed class FleetLock(NpgsqlConnection connection, long id) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            await command.ExecuteScalarAsync().ConfigureAwait(false);
        }
        finally
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}
