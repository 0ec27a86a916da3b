using System.Collections.Concurrent;

namespace TagCache.Tags;

/// <summary>Where a computation started in its cache's invalidation order: which log, and the last position applied.</summary>
/// <param name="Log">The log's identity: a recreated shared log, or another process's in-memory versions, has another.</param>
/// <param name="Position">Every invalidation at or below it had been applied when the computation started.</param>
internal readonly record struct LogStamp(Guid Log, long Position);

/// <summary>Why a value written by some node (the second level) was refused.</summary>
internal enum StampRejection
{
    /// <summary>One of its tags was invalidated after the position its computation started at.</summary>
    Invalidated,

    /// <summary>It started before what this node still remembers: an invalidation after it may have been forgotten.</summary>
    TooOld,

    /// <summary>It was stamped by another log (recreated, or another process's in-memory versions).</summary>
    OtherLog,

    /// <summary>This node's versions may lack other nodes' invalidations (its staleness gate is closed), or it has not read the log yet.</summary>
    Behind,
}

/// <summary>
/// The position of the last invalidation of each tag invalidated recently, in one cache's log: what a node needs to judge
/// a value stamped on any node (<see cref="LogStamp"/> and its tags) without holding state for tags never invalidated.
/// It knows every invalidation after <see cref="Horizon"/> that its node has applied; positions at or below it are
/// forgotten, so a stamp below it cannot be judged and is refused.
/// </summary>
/// <remarks>
/// Order matters: an invalidation is recorded here before the node's in-memory versions move, and this node's own
/// invalidations are pending here from before they move until their log positions are known. So a reader that judges a
/// value before the record is inside a computation that the version move then discards (the race rule), and one after it
/// refuses the value.
/// </remarks>
internal sealed class InvalidationLedger
{
    /// <summary>The position of an invalidation whose log position is unknown (its write failed): after every stamp.</summary>
    public const long Unknown = long.MaxValue;

    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pending = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly object _resetting = new();
    private volatile LogIdentity _log;
    private long _horizon;
    private long _latest;

    /// <param name="log">The log's identity, if known already.</param>
    /// <param name="horizon">The position from which invalidations are known.</param>
    /// <param name="capacity">How many tags it remembers before forgetting the older half (raising its horizon).</param>
    public InvalidationLedger(Guid log, long horizon, int capacity = 100_000)
    {
        _log = new LogIdentity(log);
        _horizon = horizon;
        _latest = horizon;
        _capacity = capacity;
    }

    /// <summary>Gets the identity of the log it follows.</summary>
    public Guid Log => _log.Id;

    /// <summary>Gets the position at or below which invalidations are forgotten.</summary>
    public long Horizon => Volatile.Read(ref _horizon);

    /// <summary>Gets how many tags it remembers; for tests and diagnostics.</summary>
    public int Count => _last.Count;

    /// <summary>Records an invalidation of <paramref name="tag"/> at <paramref name="position"/>; keeps the latest.</summary>
    public void Record(string tag, long position)
    {
        _last.AddOrUpdate(tag, static (_, next) => next, static (_, seen, next) => Math.Max(seen, next), position);
        if (position != Unknown && position > Volatile.Read(ref _latest))
        {
            Volatile.Write(ref _latest, position);
        }

        if (_last.Count > _capacity)
        {
            // Forget the older half of what it knows: values stamped before the new horizon are refused from now on.
            var horizon = Horizon;
            ForgetThrough(horizon + ((Volatile.Read(ref _latest) - horizon) / 2));
        }
    }

    /// <summary>Marks this node's own invalidation of <paramref name="tags"/> as under way: they refuse every stamp until it ends.</summary>
    public void BeginOwn(IReadOnlyList<string> tags)
    {
        foreach (var tag in tags)
        {
            _pending.AddOrUpdate(tag, 1, static (_, count) => count + 1);
        }
    }

    /// <summary>Ends this node's own invalidation: records the positions it was given, or <see cref="Unknown"/> when its write failed.</summary>
    public void EndOwn(IReadOnlyList<string> tags, IReadOnlyList<long>? positions)
    {
        for (var i = 0; i < tags.Count; i++)
        {
            Record(tags[i], positions is not null && i < positions.Count ? positions[i] : Unknown);
        }

        foreach (var tag in tags)
        {
            while (_pending.TryGetValue(tag, out var count))
            {
                if (count <= 1 ? _pending.TryRemove(new KeyValuePair<string, int>(tag, count)) : _pending.TryUpdate(tag, count - 1, count))
                {
                    break;
                }
            }
        }
    }

    /// <summary>Forgets everything: the log changed, or invalidations up to <paramref name="horizon"/> may have been missed.</summary>
    public void Reset(Guid log, long horizon)
    {
        lock (_resetting)
        {
            // Horizon and log first: a judge that read the old ones reads them again after the tags.
            Volatile.Write(ref _horizon, horizon);
            _log = new LogIdentity(log);
            Volatile.Write(ref _latest, horizon);
            _last.Clear();
        }
    }

    /// <summary>Forgets the invalidations at or below <paramref name="position"/>, which retention deleted from the log.</summary>
    public void ForgetThrough(long position)
    {
        lock (_resetting)
        {
            if (position <= _horizon)
            {
                return;
            }

            Volatile.Write(ref _horizon, position);
            foreach (var pair in _last)
            {
                if (pair.Value <= position)
                {
                    _last.TryRemove(pair);
                }
            }
        }
    }

    /// <summary>Judges a value stamped with <paramref name="stamp"/> that depends on <paramref name="tags"/>: null when it may be served.</summary>
    public StampRejection? Judge(LogStamp stamp, IReadOnlyList<string> tags)
    {
        if (Refuses(stamp) is { } early)
        {
            return early;
        }

        // Everything removed after the stamp (or being removed by this node) refuses every value, whatever its tags.
        if (_pending.ContainsKey(TagNames.Everything) || (_last.TryGetValue(TagNames.Everything, out var all) && all > stamp.Position))
        {
            return StampRejection.Invalidated;
        }

        foreach (var tag in tags)
        {
            if (_pending.ContainsKey(tag) || (_last.TryGetValue(tag, out var position) && position > stamp.Position))
            {
                return StampRejection.Invalidated;
            }
        }

        // Again: a reset between the first check and the tags may have emptied what they were read from.
        return Refuses(stamp);
    }

    private StampRejection? Refuses(LogStamp stamp) =>
        stamp.Log != Log ? StampRejection.OtherLog
        : stamp.Position < Horizon ? StampRejection.TooOld
        : null;
}

/// <summary>A log's identity as one reference, so it is read and replaced atomically.</summary>
internal sealed record LogIdentity(Guid Id);
