namespace TagCache.Telemetry;

/// <summary>The names dashboards and tests rely on: the meter, the activity source, instruments, tags and their values.</summary>
internal static class TelemetryNames
{
    public const string Meter = "TagCache";
    public const string ActivitySource = "TagCache";

    public const string Requests = "tagcache.requests";
    public const string Computations = "tagcache.computations";
    public const string ComputationDuration = "tagcache.computation.duration";
    public const string Joins = "tagcache.joins";
    public const string Invalidations = "tagcache.invalidations";
    public const string Entries = "tagcache.entries";
    public const string Faults = "tagcache.faults";

    public const string ComputeActivity = "tagcache.compute";
    public const string InvalidateActivity = "tagcache.invalidate";

    public const string CacheTag = "tagcache.cache";
    public const string MethodTag = "tagcache.method";
    public const string ResultTag = "tagcache.result";
    public const string MissReasonTag = "tagcache.miss_reason";
    public const string OutcomeTag = "tagcache.outcome";
    public const string OriginTag = "tagcache.origin";
    public const string JoinsTag = "tagcache.joins";
    public const string KeyTag = "tagcache.key";
    public const string TagsTag = "tagcache.tags";
    public const string TagCountTag = "tagcache.tag_count";
}

/// <summary>How a read found the cache: a hit, or a miss and why.</summary>
internal enum Lookup
{
    /// <summary>No entry: never stored, expired or evicted.</summary>
    Absent,

    /// <summary>An entry whose tag moved: it may not be served.</summary>
    Stale,

    /// <summary>The cache could not be trusted (or failed), so it was not asked.</summary>
    Bypassed,

    Hit,
}

/// <summary>How a computation ended.</summary>
internal enum ComputationOutcome
{
    /// <summary>Its value was stored.</summary>
    Stored,

    /// <summary>Its value was returned but not stored: a tag moved, or a write superseded it, while it ran.</summary>
    Discarded,

    Failed,

    Cancelled,
}

/// <summary>Why a computed value was returned but not stored.</summary>
internal enum DiscardReason
{
    /// <summary>A tag it depends on was invalidated while it ran.</summary>
    TagsMoved,

    /// <summary>A Set or Remove of its key returned while it ran.</summary>
    Superseded,

    /// <summary>The shared tag versions are past their staleness bound.</summary>
    VersionsBehind,
}

/// <summary>What made an invalidation.</summary>
internal enum InvalidationOrigin
{
    /// <summary>An <c>[InvalidateTags]</c> method.</summary>
    Method,

    /// <summary>A domain event swept by <see cref="ICacheSweeper"/>.</summary>
    Event,

    /// <summary><see cref="ITagCache.InvalidateTags"/> called directly.</summary>
    Manual,

    /// <summary>Another node, through a shared version store.</summary>
    Remote,
}

internal static class TelemetryValues
{
    public static string Of(Lookup lookup) => lookup switch
    {
        Lookup.Hit => "hit",
        Lookup.Absent => "absent",
        Lookup.Stale => "stale",
        _ => "bypassed",
    };

    public static string Of(ComputationOutcome outcome) => outcome switch
    {
        ComputationOutcome.Stored => "stored",
        ComputationOutcome.Discarded => "discarded",
        ComputationOutcome.Failed => "failed",
        _ => "cancelled",
    };

    public static string Of(InvalidationOrigin origin) => origin switch
    {
        InvalidationOrigin.Method => "method",
        InvalidationOrigin.Event => "event",
        InvalidationOrigin.Manual => "manual",
        _ => "remote",
    };
}
