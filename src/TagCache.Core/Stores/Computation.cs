using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// One running factory call: the stamps its value depends on (including those learned late: result tags,
/// <see cref="CacheTags.Append"/>, nested cached calls), and the flights it waits on, which are the edges of the wait-for
/// graph that <see cref="WaitForGraph"/> walks. It is the ambient context of the code it runs, until it ends.
/// </summary>
internal sealed class Computation
{
    private static readonly AsyncLocal<AmbientFrame?> Ambient = new();

    private readonly List<TagStamp> _stamps;
    private readonly ITagVersionStore _versions;
    private readonly long _startSequence;
    // Most computations wait on nothing: made on the first wait.
    private List<WaitEdge>? _waits;
    private AmbientFrame? _frame;
    private int _ownThread;
    private bool _poisoned;
    private bool _ended;

    /// <summary>Takes the initial stamps; an invalid tag throws here, before the computation is visible to anyone.</summary>
    public Computation(ITagVersionStore versions, IReadOnlyCollection<string> tags)
    {
        _versions = versions;
        // Also the lock of the other fields: one object fewer per computation than a separate lock object.
        _stamps = new List<TagStamp>(tags.Count);
        foreach (var tag in tags)
        {
            _stamps.Add(TagStamp.Take(versions.Acquire(TagNames.Valid(tag))));
        }

        // Read after the initial tags are visible in the map: any invalidation numbered after this finds and bumps them.
        _startSequence = versions.CurrentSequence;
    }

    /// <summary>Gets the computation whose code is running on this logical call context, if it has not ended.</summary>
    public static Computation? Current => Ambient.Value?.Computation;

    /// <summary>Gets a value indicating whether the value may depend on data older than an invalidation of one of its tags.</summary>
    public bool IsPoisoned
    {
        get
        {
            lock (_stamps)
            {
                return _poisoned;
            }
        }
    }

    /// <summary>Makes this the ambient computation of the calling context; returns what to restore afterwards.</summary>
    public AmbientFrame? Enter()
    {
        var previous = Ambient.Value;
        Ambient.Value = _frame = new AmbientFrame(this);
        return previous;
    }

    public static void Restore(AmbientFrame? previous) => Ambient.Value = previous;

    /// <summary>
    /// Ends the computation: no flow sees it as ambient any more (a Task.Run loop it started keeps an empty frame, not
    /// this object), and nothing is added to it afterwards. Called once the factory has returned or thrown.
    /// </summary>
    public void End()
    {
        lock (_stamps)
        {
            _ended = true;
            if (_frame is not null)
            {
                _frame.Computation = null;
            }
        }
    }

    /// <summary>Adds a tag learned after the computation started; it poisons the value if invalidated since the start.</summary>
    public void AddLateTag(string tag)
    {
        var state = _versions.Acquire(TagNames.Valid(tag, nameof(tag)));
        var stamp = TagStamp.Take(state);

        // Version first, then sequence: a bump records its sequence before moving the version, so either we see the
        // bump's sequence (poisoned) or our stamp holds the pre-bump version and goes stale when the bump completes.
        var bumpedSinceStart = state.LastBumpSequence > _startSequence;
        lock (_stamps)
        {
            if (!_ended)
            {
                _poisoned |= bumpedSinceStart;
                _stamps.Add(stamp);
            }
        }
    }

    /// <summary>Takes on the dependencies of a nested cached value (a hit, a joined or a nested computation).</summary>
    public void Inherit(TagStamp[] stamps, bool poisoned)
    {
        lock (_stamps)
        {
            if (!_ended)
            {
                _poisoned |= poisoned;
                _stamps.AddRange(stamps);
            }
        }
    }

    public TagStamp[] SnapshotStamps()
    {
        lock (_stamps)
        {
            return _stamps.Count == 0 ? [] : Distinct(_stamps);
        }
    }

    /// <summary>
    /// Gets a value indicating whether the calling code is this computation's own flow: the thread running the factory's
    /// synchronous part. Code it started elsewhere (<c>Task.Run</c>, continuations) shares its ambient context but may not be
    /// waited for by it, so what that code waits on is only possibly this computation's wait.
    /// </summary>
    public bool IsOwnFlow => Volatile.Read(ref _ownThread) == Environment.CurrentManagedThreadId;

    /// <summary>Marks the calling thread as the computation's own flow while the factory runs synchronously on it.</summary>
    public void EnterOwnFlow() => Volatile.Write(ref _ownThread, Environment.CurrentManagedThreadId);

    public void LeaveOwnFlow() => Volatile.Write(ref _ownThread, 0);

    /// <summary>Records that this computation waits for <paramref name="flight"/>: an edge of the wait-for graph.</summary>
    /// <param name="flight">The flight waited for.</param>
    /// <param name="certain">Whether the wait is surely this computation's (made by its own flow).</param>
    /// <returns>The edge, to remove when the wait ends.</returns>
    public WaitEdge AddWait(Flight flight, bool certain)
    {
        var edge = new WaitEdge(flight, certain);
        lock (_stamps)
        {
            (_waits ??= []).Add(edge);
        }

        return edge;
    }

    /// <summary>Removes one edge; another wait of this computation on the same flight keeps its own.</summary>
    public void EndWait(WaitEdge edge)
    {
        lock (_stamps)
        {
            _waits?.Remove(edge);
        }
    }

    public WaitEdge[] SnapshotWaits()
    {
        lock (_stamps)
        {
            return _waits is not { Count: > 0 } waits ? [] : [.. waits];
        }
    }

    private static TagStamp[] Distinct(List<TagStamp> stamps)
    {
        if (stamps.Count == 1)
        {
            return [stamps[0]];
        }

        // Duplicates are common (nested calls share tags); keep the oldest version seen for each state, since the value
        // is only as fresh as its oldest dependency.
        var oldest = new Dictionary<TagState, long>(stamps.Count, ReferenceEqualityComparer.Instance);
        foreach (var stamp in stamps)
        {
            oldest[stamp.State] = oldest.TryGetValue(stamp.State, out var seen) ? Math.Min(seen, stamp.Version) : stamp.Version;
        }

        var result = new TagStamp[oldest.Count];
        var i = 0;
        foreach (var pair in oldest)
        {
            result[i++] = new TagStamp(pair.Key, pair.Value);
        }

        return result;
    }
}

/// <summary>An edge of the wait-for graph: a computation waits for a flight, surely or possibly (see <see cref="Computation.IsOwnFlow"/>).</summary>
internal readonly record struct WaitEdge(Flight Flight, bool Certain);

/// <summary>
/// What flows with the execution context: a box around the ambient computation, emptied when the computation ends, so
/// flows that outlive it (a loop started with Task.Run) neither see it nor keep it alive.
/// </summary>
internal sealed class AmbientFrame(Computation computation)
{
    public Computation? Computation { get; set; } = computation;
}
