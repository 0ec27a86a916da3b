using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Sharing;

/// <summary>
/// One node's link to a shared invalidation log, for all its caches, whatever the engine: it appends this node's
/// invalidations, listens for wake-ups, reads the log after the sequence it has applied up to (on a wake-up or every
/// <see cref="SharingSettings.PollInterval"/>), opens the staleness gate after each catch-up that reached the head, and
/// deletes rows past retention. A wake-up is only a hint; the log is the truth.
/// </summary>
/// <remarks>
/// Time is the injected <see cref="TimeProvider"/>'s (the gate, the poll, the backoff, pruning), so tests move it. The loops
/// start with <see cref="Start"/>, after the caches exist, and <see cref="DisposeAsync"/> waits for them to end; the
/// synchronous <see cref="Dispose"/> stops them without waiting.
/// </remarks>
internal sealed class SharedVersionNode : ISharedTagVersions
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(5);

    private readonly IInvalidationLog _log;
    private readonly SharingSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, SharedTagVersionStore> _stores = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, byte> _own = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _catchingUp = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _id = Guid.NewGuid().ToString("N");
    private Task[] _loops = [];
    private long _applied = -1;
    private bool _filling;
    private Guid _logId;
    private long _rowsApplied;
    private long _catchUps;
    private int _listening;
    private int _started;
    private int _disposed;

    public SharedVersionNode(IInvalidationLog log, SharingSettings settings, TimeProvider time, ILoggerFactory loggers, bool includeSensitiveData)
    {
        _log = log;
        _settings = settings;
        _time = time;
        _logger = SafeLogger.Of(loggers.CreateLogger(log.Category));
        IncludeSensitiveData = includeSensitiveData;
        Gate = new StalenessGate(time);
    }

    /// <summary>Gets the gate every cache of this node reads before serving a tagged hit.</summary>
    public StalenessGate Gate { get; }

    /// <summary>Gets the engine's log.</summary>
    internal IInvalidationLog Log => _log;

    /// <summary>Gets a value indicating whether tag values may appear in exception messages (<see cref="TagCacheTelemetryOptions.IncludeSensitiveData"/>).</summary>
    internal bool IncludeSensitiveData { get; }

    /// <summary>Gets a task that completes at the node's first catch-up: from then on it can serve hits.</summary>
    internal Task Ready => _ready.Task;

    /// <summary>Gets the sequence this node has applied the log up to; -1 before its first catch-up.</summary>
    internal long AppliedThrough => Interlocked.Read(ref _applied);

    /// <summary>Gets how many rows other nodes wrote that this node has applied.</summary>
    internal long RowsApplied => Interlocked.Read(ref _rowsApplied);

    /// <summary>Gets how many catch-ups reached the log's head.</summary>
    internal long CatchUps => Interlocked.Read(ref _catchUps);

    /// <summary>Gets whether the node listens for wake-ups now.</summary>
    internal bool IsListening => Volatile.Read(ref _listening) == 1;

    public ITagVersionStore For(string cacheName) => _stores.GetOrAdd(cacheName, name => new SharedTagVersionStore(name, this));

    public void Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loops = [Task.Run(ApplyLoopAsync), Task.Run(ListenLoopAsync), Task.Run(PruneLoopAsync)];
        }
    }

    /// <summary>Gets the identity of the log this node read last (empty before its first read).</summary>
    internal Guid LogId => _logId;

    /// <summary>
    /// Writes an invalidation to the log and returns the positions it was given; the rows come back to this node as its own
    /// and are not applied twice.
    /// </summary>
    public async ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, bool async, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        var sequences = await _log.AppendAsync(cache, tags, _id, async, cancellationToken).ConfigureAwait(false);
        foreach (var sequence in sequences)
        {
            _own.TryAdd(sequence, 0);
        }

        return sequences;
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
            while (true)
            {
                var asked = Gate.Now;
                if (_applied < 0)
                {
                    // A node that starts begins at the head: its cache is empty, so nothing before matters, unless a second
                    // level needs to judge values written before it started: it then reads what retention kept first.
                    var head = await _log.HeadAsync(cancellationToken).ConfigureAwait(false);
                    _logId = head.LogId;
                    _filling = _stores.Values.Any(s => s.Ledger is not null);
                    var from = _filling ? head.PrunedThrough : head.Head;
                    foreach (var store in _stores.Values)
                    {
                        store.Begin(head.LogId, from);
                    }

                    Interlocked.Exchange(ref _applied, from);
                    if (!_filling)
                    {
                        Reached(asked);
                        return;
                    }

                    continue;
                }

                var page = await _log.ReadAfterAsync(_applied, _settings.BatchSize, cancellationToken).ConfigureAwait(false);
                if (page.Position.LogId != _logId)
                {
                    _logId = page.Position.LogId;
                    InvalidateAll($"the invalidation log ({_log.Location}) was recreated (its identity changed), so what was invalidated before is unknown", 0);
                    Interlocked.Exchange(ref _applied, 0);
                    continue;
                }

                if (page.Position.Head < _applied)
                {
                    // An engine that can lose acknowledged writes (a store restored from an older snapshot under the same
                    // identity) shows it here; sequences after its head may be reused, so nothing this node knows holds.
                    InvalidateAll($"the invalidation log ({_log.Location}) went back: its head {page.Position.Head} is below what this node applied ({_applied})", page.Position.Head);
                    Interlocked.Exchange(ref _applied, page.Position.Head);
                    continue;
                }

                if (page.Position.PrunedThrough > _applied)
                {
                    InvalidateAll($"the invalidation log's rows {_applied + 1} to {page.Position.PrunedThrough} were deleted (older than Retention, {_settings.Retention}) before this node read them", page.Position.PrunedThrough);
                }

                Apply(page.Rows);
                ForgetThrough(page.Position.PrunedThrough);
                var last = page.Rows.Count > 0 ? page.Rows[^1].Sequence : _applied;
                Interlocked.Exchange(ref _applied, Math.Max(last, Math.Max(_applied, page.Position.PrunedThrough)));
                if (page.Rows.Count < _settings.BatchSize)
                {
                    _filling = false;
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

    /// <summary>Stops the loops without waiting for them: they end on their own, and the log's connections go with them.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stop.Cancel();
        var loops = Task.WhenAll(_loops);
        _ = loops.ContinueWith(
            static (_, state) => ((SharedVersionNode)state!).ReleaseAsync().AsTask(),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();
    }

    /// <summary>Stops the loops and waits (a bounded time, asynchronously) for them to end before releasing the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        // Real time: this waits for connections and threads, whatever clock the node keeps for the log.
        await Task.WhenAll(_loops).WaitAsync(StopWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ReleaseAsync().ConfigureAwait(false);
    }

    private async ValueTask ReleaseAsync()
    {
        try
        {
            await _log.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            // Its connections are closing anyway; nothing is left to tell.
        }

        // A loop still running past the wait reads the token; its source is left to the GC rather than disposed under it.
        if (_loops.All(l => l.IsCompleted))
        {
            _stop.Dispose();
        }
    }

    private void Reached(long askedAt)
    {
        Gate.OpenUntil(askedAt + (long)_settings.MaxStaleness.TotalMilliseconds);
        Interlocked.Increment(ref _catchUps);
        _ready.TrySetResult();
    }

    private void Apply(IReadOnlyList<LogRow> rows)
    {
        foreach (var group in rows.GroupBy(r => r.Cache, StringComparer.Ordinal))
        {
            if (!_stores.TryGetValue(group.Key, out var store))
            {
                continue;
            }

            // Rows read before the node served anything (a second level's first read) and this node's own rows only go
            // to the ledger: its versions know them already, or have nothing to know them for.
            var remote = group.Where(r => !_own.TryRemove(r.Sequence, out _)).ToList();
            store.Record([.. group]);
            if (remote.Count > 0 && !_filling)
            {
                store.ApplyRemote(remote);
                Interlocked.Add(ref _rowsApplied, remote.Count);
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

    private void InvalidateAll(string reason, long unknownThrough)
    {
        foreach (var store in _stores.Values)
        {
            store.InvalidateAll(reason, _logId, unknownThrough);
        }
    }

    private void ForgetThrough(long prunedThrough)
    {
        foreach (var store in _stores.Values)
        {
            store.ForgetThrough(prunedThrough);
        }
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
            try
            {
                await CatchUpAsync(token).ConfigureAwait(false);
                if (failures > 0)
                {
                    _logger.CaughtUp(_log.Category, _log.Location, failures, AppliedThrough);
                }

                failures = 0;
            }
            catch (Exception exception) when (!token.IsCancellationRequested)
            {
                if (failures++ == 0)
                {
                    _logger.LogUnreachable(exception, _log.Category, _log.Location, _settings.MaxStaleness, _settings.PollInterval);
                }
            }

            if (!await WaitForWakeAsync(token).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Waits for a wake-up or the poll interval (on the injected clock); false once the node stops.</summary>
    private async Task<bool> WaitForWakeAsync(CancellationToken token)
    {
        using var poll = new CancellationTokenSource(_settings.PollInterval, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(token, poll.Token);
        try
        {
            await _wake.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            // The poll interval passed.
        }

        return !token.IsCancellationRequested;
    }

    private async Task ListenLoopAsync()
    {
        var token = _stop.Token;
        var delay = FirstReconnectDelay;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _log.ListenAsync(Woken, Listening, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.ListenerDropped(exception, _log.Category, _log.Location, _settings.PollInterval, delay);
                try
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxReconnectDelay.Ticks));
            }
            finally
            {
                Volatile.Write(ref _listening, 0);
            }
        }

        void Listening()
        {
            Volatile.Write(ref _listening, 1);
            delay = FirstReconnectDelay;
            _logger.Listening(_log.Category, _log.Location);

            // What was written while this node was not listening is read now.
            Wake();
        }
    }

    private void Woken(string? writer)
    {
        // This node's own rows are applied already; anything else (another node, a wake-up naming no one) wakes it.
        if (!string.Equals(writer, _id, StringComparison.Ordinal))
        {
            Wake();
        }
    }

    private async Task PruneLoopAsync()
    {
        var token = _stop.Token;
        using var timer = new PeriodicTimer(_settings.PruneInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                try
                {
                    if (await _log.PruneAsync(_settings.Retention, token).ConfigureAwait(false) is { } through)
                    {
                        _logger.Pruned(_log.Category, through, _settings.Retention);
                    }
                }
                catch (Exception exception) when (!token.IsCancellationRequested)
                {
                    _logger.PruneFailed(exception, _log.Category, _settings.PruneInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
