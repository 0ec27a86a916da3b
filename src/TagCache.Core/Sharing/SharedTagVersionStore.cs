using TagCache.Tags;

namespace TagCache.Sharing;

/// <summary>
/// One cache's tag versions on a node that shares them: the in-memory versions the read path compares against, bumped by
/// this node's invalidations (at once, then written to the log) and by the rows other nodes wrote (when read from it).
/// </summary>
internal sealed class SharedTagVersionStore(string cache, SharedVersionNode node) : ITagVersionStore
{
    private readonly InMemoryTagVersionStore _local = new();
    private ITagVersionObserver? _observer;
    private InvalidationLedger? _ledger;

    public string Cache => cache;

    public long CurrentSequence => _local.CurrentSequence;

    public StalenessGate Gate => node.Gate;

    internal SharedVersionNode Node => node;

    /// <inheritdoc/>
    public InvalidationLedger? Ledger => _ledger;

    /// <inheritdoc/>
    /// <remarks>The log position this node has applied: every invalidation at or below it is in its versions.</remarks>
    public LogStamp? Position => _ledger is { } ledger && node.AppliedThrough is var applied and >= 0 ? new LogStamp(ledger.Log, applied) : null;

    public TagState Acquire(string tag) => _local.Acquire(tag);

    /// <inheritdoc/>
    public void KeepLedger() => _ledger ??= new InvalidationLedger(node.LogId, node.AppliedThrough);

    public void Observe(ITagVersionObserver observer) => _observer = observer;

    public void Invalidate(IReadOnlyList<string> tags) => InvalidateAsync(tags, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken) => InvalidateAsync(tags, async: true, cancellationToken);

    /// <summary>Applies rows other nodes wrote: recorded in the ledger before the versions move (see <see cref="InvalidationLedger"/>).</summary>
    public void ApplyRemote(IReadOnlyList<LogRow> rows)
    {
        Record(rows);
        string[] tags = [.. rows.Select(r => r.Tag)];
        if (tags.Contains(TagNames.Everything, StringComparer.Ordinal))
        {
            // Said (and memory emptied) before the versions move, so whoever sees the entries go finds the reason logged.
            _observer?.AllInvalidated("another node removed everything (RemoveByTagAsync(\"*\"))");
            _local.InvalidateAll();
            return;
        }

        _local.Invalidate(tags);
        _observer?.RemoteInvalidated(tags);
    }

    public async ValueTask InvalidateEverythingAsync(CancellationToken cancellationToken)
    {
        string[] everything = [TagNames.Everything];
        var ledger = _ledger;
        ledger?.BeginOwn(everything);
        long[]? positions = null;
        try
        {
            _local.InvalidateAll();
            positions = await node.AppendAsync(cache, everything, async: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new TagInvalidationNotSharedException(cache, everything, node.Log.Store, exception, node.IncludeSensitiveData);
        }
        finally
        {
            ledger?.EndOwn(everything, positions);
        }
    }

    /// <summary>Records rows in the ledger only: this node's own (its versions moved already), or rows read before its cache held anything.</summary>
    public void Record(IReadOnlyList<LogRow> rows)
    {
        if (_ledger is { } ledger)
        {
            foreach (var row in rows)
            {
                ledger.Record(row.Tag, row.Sequence);
            }
        }
    }

    /// <summary>Invalidates every entry: the node may have missed invalidations it cannot name, up to <paramref name="unknownThrough"/> of log <paramref name="log"/>.</summary>
    public void InvalidateAll(string reason, Guid log, long unknownThrough)
    {
        _ledger?.Reset(log, unknownThrough);

        // Said (and memory emptied) before the versions move, so whoever sees the entries go finds the reason logged.
        _observer?.AllInvalidated(reason);
        _local.InvalidateAll();
    }

    /// <summary>Forgets the invalidations that retention deleted from the log.</summary>
    public void ForgetThrough(long position) => _ledger?.ForgetThrough(position);

    /// <summary>Starts the ledger on the log the node read first, knowing invalidations from <paramref name="horizon"/> on.</summary>
    public void Begin(Guid log, long horizon) => _ledger?.Reset(log, horizon);

    private async ValueTask InvalidateAsync(IReadOnlyList<string> tags, bool async, CancellationToken cancellationToken)
    {
        // Locally first, whatever happens to the write: this node never serves what it was told is stale, from its memory
        // or (pending in the ledger until the log numbers it) from the second level.
        var ledger = _ledger;
        ledger?.BeginOwn(tags);
        long[]? positions = null;
        try
        {
            _local.Invalidate(tags);
            if (tags.Count == 0)
            {
                return;
            }

            positions = await node.AppendAsync(cache, tags, async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new TagInvalidationNotSharedException(cache, tags, node.Log.Store, exception, node.IncludeSensitiveData);
        }
        finally
        {
            ledger?.EndOwn(tags, positions);
        }
    }
}
