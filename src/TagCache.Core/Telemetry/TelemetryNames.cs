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
    public const string Refreshes = "tagcache.refreshes";
    public const string Hedges = "tagcache.hedges";
    public const string SecondLevelRejections = "tagcache.l2.rejections";
    public const string SecondLevelFaults = "tagcache.l2.faults";
    public const string SecondLevelBytesWritten = "tagcache.l2.bytes_written";
    public const string SecondLevelSkipped = "tagcache.l2.skipped";

    public const string ComputeActivity = "tagcache.compute";
    public const string InvalidateActivity = "tagcache.invalidate";

    public const string CacheTag = "tagcache.cache";
    public const string MethodTag = "tagcache.method";
    public const string ResultTag = "tagcache.result";
    public const string MissReasonTag = "tagcache.miss_reason";
    public const string FallbackReasonTag = "tagcache.fallback_reason";
    public const string TimeoutTag = "tagcache.timeout";
    public const string OutcomeTag = "tagcache.outcome";
    public const string OriginTag = "tagcache.origin";
    public const string ReasonTag = "tagcache.reason";
    public const string OperationTag = "tagcache.operation";
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

    // The values from here on are served: Lookups.IsServed compares with Hit.
    Hit,

    /// <summary>A hit past the entry's eager-refresh threshold, whose refresh nobody has started: a caller with a factory starts it.</summary>
    RefreshDue,

    /// <summary>A fallback that keeps answering for its throttle period after its source failed or timed out.</summary>
    Fallback,
}

/// <summary>Why a request was answered with a fallback: a value of its key that had expired (or, opted in, been invalidated).</summary>
internal enum FallbackReason
{
    /// <summary>The computation failed: it threw, or the hard timeout ended the wait.</summary>
    Failed,

    /// <summary>The caller's soft or hard timeout ended its wait; the computation goes on in the background.</summary>
    TimedOut,

    /// <summary>An earlier fallback keeps answering without calling the source until its throttle period ends.</summary>
    Throttled,
}

/// <summary>Which of a caller's timeouts ended its wait.</summary>
internal enum TimeoutKind
{
    Soft = 1,
    Hard = 2,
}

internal static class Lookups
{
    /// <summary>Gets a value indicating whether the lookup answers the read (a hit, due for a refresh or not, or a throttled fallback).</summary>
    public static bool IsServed(this Lookup lookup) => lookup >= Lookup.Hit;
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
        Lookup.Hit or Lookup.RefreshDue => "hit",
        Lookup.Fallback => "fallback",
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

    public static string Of(FallbackReason reason) => reason switch
    {
        FallbackReason.Failed => "failed",
        FallbackReason.TimedOut => "timed_out",
        _ => "throttled",
    };

    public static string Of(TimeoutKind kind) => kind == TimeoutKind.Soft ? "soft" : "hard";

    public static string Of(Tags.StampRejection rejection) => rejection switch
    {
        Tags.StampRejection.Invalidated => "invalidated",
        Tags.StampRejection.TooOld => "too_old",
        Tags.StampRejection.OtherLog => "other_log",
        _ => "behind",
    };

    public static string Of(InvalidationOrigin origin) => origin switch
    {
        InvalidationOrigin.Method => "method",
        InvalidationOrigin.Event => "event",
        InvalidationOrigin.Manual => "manual",
        _ => "remote",
    };
}
