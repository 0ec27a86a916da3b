using Microsoft.Extensions.Logging;

namespace TagCache.Telemetry;

/// <summary>
/// Every message TagCache logs, with its event id: the README's "Observability" section lists the same table. Categories
/// all start with <c>TagCache</c>. Keys and tag values appear only with <see cref="TagCacheTelemetryOptions.IncludeSensitiveData"/>;
/// messages never hold argument values otherwise.
/// </summary>
internal static partial class TagCacheLog
{
    /// <summary>What a message says in place of a key when keys are not recorded.</summary>
    public const string HiddenKey = "(hidden: set options.Telemetry.IncludeSensitiveData to see keys)";

    /// <summary>What a message says in place of tag values when they are not recorded.</summary>
    public const string HiddenTags = "(hidden: set options.Telemetry.IncludeSensitiveData to see tags)";

    [LoggerMessage(EventId = 1, EventName = "StaleEntriesReclaimed", Level = LogLevel.Debug,
        Message = "TagCache: reclaimed the memory of {Removed} stale entries in cache '{Cache}'")]
    public static partial void StaleEntriesReclaimed(this ILogger logger, int removed, string cache);

    [LoggerMessage(EventId = 2, EventName = "ReclaimFailed", Level = LogLevel.Warning,
        Message = "TagCache: reclaiming the memory of stale entries in cache '{Cache}' failed; the next invalidation tries again")]
    public static partial void ReclaimFailed(this ILogger logger, Exception exception, string cache);

    [LoggerMessage(EventId = 10, EventName = "TagsInvalidated", Level = LogLevel.Debug,
        Message = "TagCache: invalidated {Count} tags in cache '{Cache}' ({Origin}): {Tags}")]
    public static partial void TagsInvalidated(this ILogger logger, int count, string cache, string origin, string tags);

    [LoggerMessage(EventId = 11, EventName = "ComputationDiscarded", Level = LogLevel.Debug,
        Message = "TagCache: the value {Method} computed in cache '{Cache}' was returned but not stored, because {Reason}; key {Key}")]
    public static partial void ComputationDiscarded(this ILogger logger, string method, string cache, string reason, string key);

    [LoggerMessage(EventId = 12, EventName = "CycleDetected", Level = LogLevel.Warning,
        Message = "TagCache: {Method} in cache '{Cache}' waited, directly or through other cached calls, on its own computation; the call failed instead of deadlocking. Key {Key}")]
    public static partial void CycleDetected(this ILogger logger, string method, string cache, string key);

    [LoggerMessage(EventId = 13, EventName = "AllInvalidated", Level = LogLevel.Warning,
        Message = "TagCache: every entry of cache '{Cache}' was invalidated, because {Reason}")]
    public static partial void AllInvalidated(this ILogger logger, string cache, string reason);

    [LoggerMessage(EventId = 14, EventName = "FallbackServed", Level = LogLevel.Warning,
        Message = "TagCache: {Method} in cache '{Cache}' {Why}; its last good value (stored {Age} ago) answers instead, for up to {Throttle} without calling the source again. Key {Key}")]
    public static partial void FallbackServed(this ILogger logger, Exception? exception, string method, string cache, string why, string age, string throttle, string key);

    [LoggerMessage(EventId = 15, EventName = "HardTimeout", Level = LogLevel.Warning,
        Message = "TagCache: {Method} in cache '{Cache}' ran past its hard timeout of {Timeout} and no fallback was available; the caller got a TimeoutException and the computation goes on in the background. Key {Key}")]
    public static partial void HardTimeout(this ILogger logger, string method, string cache, string timeout, string key);

    [LoggerMessage(EventId = 16, EventName = "RefreshFailed", Level = LogLevel.Warning,
        Message = "TagCache: the background refresh of {Method} in cache '{Cache}' failed; the current value keeps answering until it expires. Key {Key}")]
    public static partial void RefreshFailed(this ILogger logger, Exception exception, string method, string cache, string key);

    [LoggerMessage(EventId = 17, EventName = "SecondLevelDown", Level = LogLevel.Error,
        Message = "TagCache: the second level ({Store}) of cache '{Cache}' failed to {Operation}; until it answers again, values come from this node's memory and its computations only (logged once per outage)")]
    public static partial void SecondLevelDown(this ILogger logger, Exception exception, string store, string cache, string operation);

    [LoggerMessage(EventId = 18, EventName = "SecondLevelBack", Level = LogLevel.Information,
        Message = "TagCache: the second level ({Store}) of cache '{Cache}' answers again, after {Faults} faults")]
    public static partial void SecondLevelBack(this ILogger logger, string store, string cache, long faults);

    [LoggerMessage(EventId = 19, EventName = "SecondLevelUnreadable", Level = LogLevel.Warning,
        Message = "TagCache: a value of cache '{Cache}' in the second level ({Store}) could not be read ({Problem}); it was ignored and will be replaced (logged once until a value reads well)")]
    public static partial void SecondLevelUnreadable(this ILogger logger, Exception? exception, string store, string cache, string problem);

    [LoggerMessage(EventId = 20, EventName = "SecondLevelNotWritten", Level = LogLevel.Error,
        Message = "TagCache: {Method} in cache '{Cache}' returned a {Type} that the second level cannot take: {Problem}. The value is served from memory only (logged once per method and type)")]
    public static partial void SecondLevelNotWritten(this ILogger logger, Exception? exception, string method, string cache, string type, string problem);

    [LoggerMessage(EventId = 101, EventName = "CacheFault", Level = LogLevel.Warning,
        Message = "TagCache: the cache failed during a call of {Method}; the call ran without the cache")]
    public static partial void CacheFault(this ILogger logger, Exception exception, string method);

    [LoggerMessage(EventId = 201, EventName = "InvalidationMatchesNothing", Level = LogLevel.Warning,
        Message = "TagCache: {Finding}")]
    public static partial void InvalidationMatchesNothing(this ILogger logger, string finding);

    [LoggerMessage(EventId = 202, EventName = "ServiceNotProxied", Level = LogLevel.Warning,
        Message = "TagCache: {Finding}")]
    public static partial void ServiceNotProxied(this ILogger logger, string finding);

    [LoggerMessage(EventId = 203, EventName = "SelfCall", Level = LogLevel.Warning,
        Message = "TagCache: {Finding}")]
    public static partial void SelfCall(this ILogger logger, string finding);
}
