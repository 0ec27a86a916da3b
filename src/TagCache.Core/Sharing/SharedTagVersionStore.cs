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

    public string Cache => cache;

    public long CurrentSequence => _local.CurrentSequence;

    public StalenessGate Gate => node.Gate;

    internal SharedVersionNode Node => node;

    public TagState Acquire(string tag) => _local.Acquire(tag);

    public void Observe(ITagVersionObserver observer) => _observer = observer;

    public void Invalidate(IReadOnlyList<string> tags) => InvalidateAsync(tags, async: false, CancellationToken.None).GetAwaiter().GetResult();

    public ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken) => InvalidateAsync(tags, async: true, cancellationToken);

    /// <summary>Applies rows other nodes wrote.</summary>
    public void ApplyRemote(IReadOnlyList<string> tags)
    {
        _local.Invalidate(tags);
        _observer?.RemoteInvalidated(tags);
    }

    /// <summary>Invalidates every entry: the node may have missed invalidations it cannot name.</summary>
    public void InvalidateAll(string reason)
    {
        _local.InvalidateAll();
        _observer?.AllInvalidated(reason);
    }

    private async ValueTask InvalidateAsync(IReadOnlyList<string> tags, bool async, CancellationToken cancellationToken)
    {
        // Locally first, whatever happens to the write: this node never serves what it was told is stale.
        _local.Invalidate(tags);
        if (tags.Count == 0)
        {
            return;
        }

        try
        {
            await node.AppendAsync(cache, tags, async, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            throw new TagInvalidationNotSharedException(cache, tags, node.Log.Store, exception, node.IncludeSensitiveData);
        }
    }
}
