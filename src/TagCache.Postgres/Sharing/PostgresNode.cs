using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using TagCache.Tags;

namespace TagCache.Postgres.Sharing;

/// <summary>
/// One node's link to the invalidation log, for all its caches: it appends this node's invalidations, keeps a LISTEN
/// connection whose notifications wake the catch-up, reads the log after the sequence it has applied up to (on a wake-up or
/// every <see cref="PostgresTagCacheOptions.PollInterval"/>), opens the staleness gate after each catch-up that reached the
/// head, and deletes rows past retention. NOTIFY is only a wake-up; the log is the truth.
/// </summary>
internal sealed class PostgresNode : ISharedTagVersions
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly PostgresTagCacheOptions _options;
    private readonly ILogger _logger;
    private readonly NpgsqlDataSource _data;
    private readonly NpgsqlDataSource _listenData;
    private readonly InvalidationLog _log;
    private readonly ConcurrentDictionary<string, SharedTagVersionStore> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, byte> _own = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task[] _loops;
    private readonly string _id = Guid.NewGuid().ToString("N");
    private long _applied = -1;
    private Guid _logId;
    private int _schemaReady;
    private long _rowsApplied;
    private long _catchUps;
    private int _listening;
    private int _disposed;

    public PostgresNode(PostgresTagCacheOptions options, ILoggerFactory loggers, bool includeSensitiveData = false)
    {
        _options = options;
        IncludeSensitiveData = includeSensitiveData;
        _logger = Telemetry.SafeLogger.Of(loggers.CreateLogger("TagCache.Postgres"));
        _data = ConnectionStrings.Main(options);
        _listenData = ConnectionStrings.Listen(options);
        _log = new InvalidationLog(_data, new LogSql(options.Schema));
        if (options.TestSwitches.NoStalenessBound)
        {
            Gate.OpenUntil(long.MaxValue);
        }

        _loops = [Task.Run(ApplyLoopAsync), Task.Run(ListenLoopAsync), Task.Run(PruneLoopAsync)];
    }

    /// <summary>Gets a value indicating whether tag values may appear in exception messages (<see cref="TagCacheTelemetryOptions.IncludeSensitiveData"/>).</summary>
    internal bool IncludeSensitiveData { get; }

    /// <summary>Gets the gate every cache of this node reads before serving a tagged hit.</summary>
    public StalenessGate Gate { get; } = new();

    /// <summary>Gets a task that completes at the node's first catch-up: from then on it can serve hits.</summary>
    internal Task Ready => _ready.Task;

    /// <summary>Gets the sequence this node has applied the log up to; -1 before its first catch-up.</summary>
    internal long AppliedThrough => Interlocked.Read(ref _applied);

    /// <summary>Gets how many rows other nodes wrote that this node has applied.</summary>
    internal long RowsApplied => Interlocked.Read(ref _rowsApplied);

    /// <summary>Gets how many catch-ups reached the log's head.</summary>
    internal long CatchUps => Interlocked.Read(ref _catchUps);

    /// <summary>Gets whether the LISTEN connection is open now.</summary>
    internal bool IsListening => Volatile.Read(ref _listening) == 1;

    internal LogSql Sql => _log.Sql;

    /// <summary>Gets the switches tests break this node with.</summary>
    internal PostgresTestSwitches Switches => _options.TestSwitches;

    public ITagVersionStore For(string cacheName) => _stores.GetOrAdd(cacheName, name => new SharedTagVersionStore(name, this));

    /// <summary>Writes an invalidation to the log; the rows come back to this node as its own and are not applied twice.</summary>
    public async ValueTask AppendAsync(string cache, IReadOnlyList<string> tags, bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        await EnsureSchemaAsync(async, cancellationToken).ConfigureAwait(false);
        foreach (var sequence in await _log.AppendAsync(cache, tags, _id, async, cancellationToken).ConfigureAwait(false))
        {
            _own.TryAdd(sequence, 0);
        }
    }

    /// <summary>
    /// Applies every row after the sequence applied so far, page by page, and opens the gate from when the last page (the
    /// one that reached the head) was asked for. A node that starts (or whose log was recreated) begins at the head: its
    /// cache is empty, so nothing before matters. A node behind what retention deleted invalidates everything.
    /// </summary>
    internal async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await _catchingUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSchemaAsync(async: true, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var asked = Environment.TickCount64;
                if (_applied < 0)
                {
                    var head = await _log.HeadAsync(cancellationToken).ConfigureAwait(false);
                    _logId = head.LogId;
                    Interlocked.Exchange(ref _applied, head.Head);
                    Reached(asked);
                    return;
                }

                var page = await _log.ReadAfterAsync(_applied, _options.BatchSize, cancellationToken).ConfigureAwait(false);
                if (page.Position.LogId != _logId)
                {
                    InvalidateAll($"the invalidation log in schema '{_options.Schema}' was recreated (its log_id changed), so what was invalidated before is unknown");
                    _logId = page.Position.LogId;
                    Interlocked.Exchange(ref _applied, 0);
                    continue;
                }

                if (page.Position.PrunedThrough > _applied)
                {
                    InvalidateAll($"the invalidation log's rows {_applied + 1} to {page.Position.PrunedThrough} were deleted (older than Retention, {_options.Retention}) before this node read them");
                }

                Apply(page.Rows);
                var last = page.Rows.Count > 0 ? page.Rows[^1].Sequence : _applied;
                Interlocked.Exchange(ref _applied, Math.Max(last, Math.Max(_applied, page.Position.PrunedThrough)));
                if (page.Rows.Count < _options.BatchSize)
                {
                    Reached(asked);
                    return;
                }
            }
        }
        finally
        {
            _catchingUp.Release();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            Task.WaitAll(_loops, StopWait);
        }
        catch (AggregateException)
        {
            // The loops end on cancellation; anything else they threw was logged where it happened.
        }

        _data.Dispose();
        _listenData.Dispose();

        // A loop still running past the wait reads the token; its source is left to the GC rather than disposed under it.
        if (_loops.All(l => l.IsCompleted))
        {
            _stop.Dispose();
        }
    }

    private void Reached(long askedAt)
    {
        if (!_options.TestSwitches.NoStalenessBound)
        {
            Gate.OpenUntil(askedAt + (long)_options.MaxStaleness.TotalMilliseconds);
        }

        Interlocked.Increment(ref _catchUps);
        _ready.TrySetResult();
    }

    private void Apply(IReadOnlyList<LogRow> rows)
    {
        foreach (var group in rows.Where(r => !_own.TryRemove(r.Sequence, out _)).GroupBy(r => r.Cache, StringComparer.Ordinal))
        {
            if (_stores.TryGetValue(group.Key, out var store))
            {
                string[] tags = [.. group.Select(r => r.Tag)];
                store.ApplyRemote(tags);
                Interlocked.Add(ref _rowsApplied, tags.Length);
            }
        }

        // An own row read before its sequence was noted was applied once more (harmless); its note must not linger.
        if (!_own.IsEmpty)
        {
            foreach (var sequence in _own.Keys.Where(s => s <= _applied))
            {
                _own.TryRemove(sequence, out _);
            }
        }
    }

    private void InvalidateAll(string reason)
    {
        foreach (var store in _stores.Values)
        {
            store.InvalidateAll(reason);
        }
    }

    private async ValueTask EnsureSchemaAsync(bool async, CancellationToken cancellationToken)
    {
        if (!_options.CreateSchema || Volatile.Read(ref _schemaReady) == 1)
        {
            return;
        }

        // Idempotent under an advisory lock, so nodes starting together (or two callers here) cannot collide.
        await _log.CreateSchemaAsync(async, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _schemaReady, 1);
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A wake-up is already pending; one catch-up reads everything.
        }
    }

    private async Task ApplyLoopAsync()
    {
        var token = _stop.Token;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            if (!_options.TestSwitches.NoCatchUp)
            {
                try
                {
                    await CatchUpAsync(token).ConfigureAwait(false);
                    if (failures > 0)
                    {
                        _logger.CaughtUp(_options.Schema, failures, AppliedThrough);
                    }

                    failures = 0;
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    if (failures++ == 0)
                    {
                        _logger.LogUnreachable(exception, _options.Schema, _options.MaxStaleness, _options.PollInterval);
                    }
                }
            }

            try
            {
                await _wake.WaitAsync(_options.PollInterval, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenLoopAsync()
    {
        var token = _stop.Token;
        var delay = FirstReconnectDelay;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_options.TestSwitches.NoNotifications)
                {
                    await Task.Delay(_options.PollInterval, token).ConfigureAwait(false);
                    continue;
                }

                await ListenAsync(() => delay = FirstReconnectDelay, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.ListenerDropped(exception, _log.Sql.Channel, _options.PollInterval, delay);
                try
                {
                    await Task.Delay(delay, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxReconnectDelay.Ticks));
            }
            finally
            {
                Volatile.Write(ref _listening, 0);
            }
        }
    }

    /// <summary>Listens until the connection fails; a catch-up follows each (re)connection, for what was sent meanwhile.</summary>
    private async Task ListenAsync(Action connected, CancellationToken token)
    {
        await using var connection = await _listenData.OpenConnectionAsync(token).ConfigureAwait(false);
        connection.Notification += (_, notification) =>
        {
            // This node's own rows are applied already; anything else (another node, an older version's bare sequence) wakes it.
            if (!notification.Payload.EndsWith(_id, StringComparison.Ordinal))
            {
                Wake();
            }
        };
        await using (var listen = new NpgsqlCommand(_log.Sql.Listen, connection))
        {
            await listen.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }

        Volatile.Write(ref _listening, 1);
        connected();
        _logger.Listening(_log.Sql.Channel);
        Wake();
        while (true)
        {
            await connection.WaitAsync(token).ConfigureAwait(false);
        }
    }

    private async Task PruneLoopAsync()
    {
        var token = _stop.Token;
        using var timer = new PeriodicTimer(_options.PruneInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    if (await _log.PruneAsync(_options.Retention, token).ConfigureAwait(false) is { } through)
                    {
                        _logger.Pruned(through, _options.Retention);
                    }
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    _logger.PruneFailed(exception, _options.PruneInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
