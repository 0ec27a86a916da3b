using System.Collections.Concurrent;

namespace TagCache.Tags;

/// <summary>Tag versions of one process. Memory stays proportional to the tags that entries or computations still hold.</summary>
internal sealed class InMemoryTagVersionStore : ITagVersionStore
{
    private const int MinimumPurgeThreshold = 1024;

    private readonly ConcurrentDictionary<string, WeakReference<TagState>> _states = new(StringComparer.Ordinal);
    private long _sequence;
    private long _addsSincePurge;
    private long _purgeThreshold = MinimumPurgeThreshold;
    private int _purging;
    private InvalidationLedger? _ledger;

    public long CurrentSequence => Volatile.Read(ref _sequence);

    /// <inheritdoc/>
    public InvalidationLedger? Ledger => _ledger;

    /// <inheritdoc/>
    /// <remarks>In memory the order is this process's own: its identity is the ledger's, which no other process shares.</remarks>
    public LogStamp? Position => _ledger is { } ledger ? new LogStamp(ledger.Log, CurrentSequence) : null;

    /// <inheritdoc/>
    public void KeepLedger() => _ledger ??= new InvalidationLedger(Guid.NewGuid(), CurrentSequence);

    /// <summary>Gets the number of names mapped (live or awaiting purge); for tests and diagnostics.</summary>
    internal int MappedCount => _states.Count;

    /// <summary>Counts the states still alive; after a full GC this is the tags that entries or computations hold.</summary>
    internal int CountLiveStates()
    {
        var live = 0;
        foreach (var pair in _states)
        {
            if (pair.Value.TryGetTarget(out _))
            {
                live++;
            }
        }

        return live;
    }

    public TagState Acquire(string tag)
    {
        while (true)
        {
            if (_states.TryGetValue(tag, out var reference))
            {
                if (reference.TryGetTarget(out var live))
                {
                    return live;
                }

                var replacement = new TagState(tag);
                if (_states.TryUpdate(tag, new WeakReference<TagState>(replacement), reference))
                {
                    return Published(replacement);
                }

                continue;
            }

            var created = new TagState(tag);
            if (_states.TryAdd(tag, new WeakReference<TagState>(created)))
            {
                PurgeIfDue();
                return Published(created);
            }
        }
    }

    public void Invalidate(IReadOnlyList<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i] ?? throw new ArgumentException("Tags must not contain null.", nameof(tags));

            // The sequence moves even when no state exists: a computation that learns this tag later must see that an
            // invalidation happened after it started.
            var sequence = Interlocked.Increment(ref _sequence);
            _ledger?.Record(tag, sequence);
            if (_states.TryGetValue(tag, out var reference) && reference.TryGetTarget(out var state))
            {
                state.Bump(sequence);
            }
        }
    }

    /// <summary>
    /// Bumps every tag that has a state, so every entry stamped with any tag is stale and every computation running now
    /// discards its result; used when invalidations may have been missed and which tags they named is unknown.
    /// </summary>
    public void InvalidateAll()
    {
        // One sequence for all: a state published after this reads as bumped at it (see Published), so a computation
        // that started before cannot trust a tag it learns later either.
        var sequence = Interlocked.Increment(ref _sequence);
        _ledger?.Reset(_ledger.Log, sequence);
        foreach (var pair in _states)
        {
            if (pair.Value.TryGetTarget(out var state))
            {
                state.Bump(sequence);
            }
        }
    }

    public ValueTask InvalidateEverythingAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        InvalidateAll();
        return ValueTask.CompletedTask;
    }

    public ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Invalidate(tags);
        return ValueTask.CompletedTask;
    }

    private TagState Published(TagState state)
    {
        // Any invalidation that looked the name up before the state became visible has already moved the sequence.
        state.ConfirmPublished(CurrentSequence);
        return state;
    }

    private void PurgeIfDue()
    {
        if (Interlocked.Increment(ref _addsSincePurge) < Volatile.Read(ref _purgeThreshold)
            || Interlocked.Exchange(ref _purging, 1) == 1)
        {
            return;
        }

        try
        {
            var live = 0L;
            foreach (var pair in _states)
            {
                if (pair.Value.TryGetTarget(out _))
                {
                    live++;
                }
                else
                {
                    _states.TryRemove(pair);
                }
            }

            // Amortised O(1) per new tag: the next purge waits until as many tags were added as are alive now.
            Volatile.Write(ref _purgeThreshold, Math.Max(MinimumPurgeThreshold, live));
            Interlocked.Exchange(ref _addsSincePurge, 0);
        }
        finally
        {
            Volatile.Write(ref _purging, 0);
        }
    }
}
