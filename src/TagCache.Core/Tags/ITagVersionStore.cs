namespace TagCache.Tags;

/// <summary>
/// Where tag versions come from. The in-memory store is the default; a shared store (one per cluster) can replace it
/// without changing the read path, which only ever compares the <see cref="TagState"/> objects it holds.
/// </summary>
internal interface ITagVersionStore
{
    /// <summary>Gets the sequence of the latest invalidation; a computation notes it when it starts.</summary>
    long CurrentSequence { get; }

    /// <summary>Gets the live state of a tag, creating one (counted as bumped now) when none exists.</summary>
    TagState Acquire(string tag);

    /// <summary>Bumps the tags; when this returns no stamp taken before it is current.</summary>
    void Invalidate(IReadOnlyList<string> tags);

    /// <summary>Asynchronous <see cref="Invalidate"/> for stores that live elsewhere.</summary>
    ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken);

    /// <summary>
    /// Makes every entry and every running computation stale, on this node at once and (shared) on every node through the
    /// log, as an invalidation of <see cref="TagNames.Everything"/>.
    /// </summary>
    ValueTask InvalidateEverythingAsync(CancellationToken cancellationToken);

    /// <summary>Gets the gate that says whether hits may be served; <see langword="null"/> when the versions are always complete (in memory).</summary>
    StalenessGate? Gate => null;

    /// <summary>Tells the store which cache to report invalidations from other nodes to; a local store has none.</summary>
    void Observe(ITagVersionObserver observer)
    {
    }

    /// <summary>Gets the positions of recent invalidations, kept once <see cref="KeepLedger"/> was called (a second level judges by them); null before.</summary>
    InvalidationLedger? Ledger => null;

    /// <summary>
    /// Gets where a computation starting now stands in the invalidation order, for a value other nodes may read; null while
    /// that is unknown (no ledger, or a shared store that has not read its log yet).
    /// </summary>
    LogStamp? Position => null;

    /// <summary>Starts keeping the <see cref="Ledger"/>; called when the cache is made, before anything is invalidated.</summary>
    void KeepLedger()
    {
    }
}
