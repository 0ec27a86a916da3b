using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// One running factory call: the stamps its value depends on, including those learned late (result tags,
/// <see cref="CacheTags.Append"/>, nested cached calls). It is the ambient context that flows across awaits.
/// </summary>
internal sealed class Computation
{
    private static readonly AsyncLocal<Computation?> Ambient = new();

    private readonly List<TagStamp> _stamps;
    private readonly ITagVersionStore _versions;
    private readonly long _startSequence;
    private Flight? _blockedOn;
    private bool _poisoned;

    public Computation(ITagVersionStore versions, IReadOnlyCollection<string> tags, Flight flight)
    {
        _versions = versions;
        Flight = flight;
        _stamps = new List<TagStamp>(tags.Count);
        foreach (var tag in tags)
        {
            _stamps.Add(TagStamp.Take(versions.Acquire(ValidTag(tag))));
        }

        // Read after the initial tags are visible in the map: any invalidation numbered after this finds and bumps them.
        _startSequence = versions.CurrentSequence;
    }

    public static Computation? Current => Ambient.Value;

    public Flight Flight { get; }

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

    public static Computation? Enter(Computation computation)
    {
        var previous = Ambient.Value;
        Ambient.Value = computation;
        return previous;
    }

    public static void Exit(Computation? previous) => Ambient.Value = previous;

    public static string ValidTag(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            throw new ArgumentException("A tag must not be null or empty.", nameof(tag));
        }

        return tag;
    }

    /// <summary>Adds a tag learned after the computation started; it poisons the value if invalidated since the start.</summary>
    public void AddLateTag(string tag)
    {
        var state = _versions.Acquire(ValidTag(tag));
        var stamp = TagStamp.Take(state);

        // Version first, then sequence: a bump records its sequence before moving the version, so either we see the
        // bump's sequence (poisoned) or our stamp holds the pre-bump version and goes stale when the bump completes.
        var bumpedSinceStart = state.LastBumpSequence > _startSequence;
        lock (_stamps)
        {
            _poisoned |= bumpedSinceStart;
            _stamps.Add(stamp);
        }
    }

    /// <summary>Takes on the dependencies of a nested cached value (a hit, a joined or a nested computation).</summary>
    public void Inherit(TagStamp[] stamps, bool poisoned)
    {
        lock (_stamps)
        {
            _poisoned |= poisoned;
            _stamps.AddRange(stamps);
        }
    }

    public TagStamp[] SnapshotStamps()
    {
        lock (_stamps)
        {
            return _stamps.Count == 0 ? [] : Distinct(_stamps);
        }
    }

    /// <summary>Notes what this computation waits for and fails if that wait closes a cycle back to it.</summary>
    public void BlockOn(Flight flight, string key)
    {
        Interlocked.Exchange(ref _blockedOn, flight);
        var next = flight;
        for (var depth = 0; next is not null && depth < 1024; depth++)
        {
            if (ReferenceEquals(next, Flight))
            {
                Interlocked.Exchange(ref _blockedOn, null);
                throw new InvalidOperationException(
                    $"TagCache detected a cycle: computing the entry '{key}' requires that same entry (directly or through other cached calls), which would deadlock. " +
                    "Give the inner call a different key or call the uncached implementation.");
            }

            next = next.Owner is { } owner ? Volatile.Read(ref owner._blockedOn) : null;
        }
    }

    public void Unblock() => Interlocked.Exchange(ref _blockedOn, null);

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
