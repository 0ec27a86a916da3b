using Microsoft.Extensions.Logging;

namespace TagCache.Sharing;

/// <summary>What a node logs about its log, whatever the engine; event ids 301 and up (TagCache.Core's own use 1–299).</summary>
internal static partial class SharingLog
{
    [LoggerMessage(EventId = 301, EventName = "LogUnreachable", Level = LogLevel.Warning,
        Message = "{Engine}: reading the invalidation log ({Location}) failed; this node stops serving hits {MaxStaleness} after its last catch-up, and tries again every {PollInterval}")]
    public static partial void LogUnreachable(this ILogger logger, Exception exception, string engine, string location, TimeSpan maxStaleness, TimeSpan pollInterval);

    [LoggerMessage(EventId = 302, EventName = "CaughtUp", Level = LogLevel.Information,
        Message = "{Engine}: caught up with the invalidation log ({Location}) after {Failures} failed attempts; applied through sequence {Sequence}")]
    public static partial void CaughtUp(this ILogger logger, string engine, string location, int failures, long sequence);

    [LoggerMessage(EventId = 303, EventName = "ListenerDropped", Level = LogLevel.Warning,
        Message = "{Engine}: listening for invalidations ({Location}) failed; polling every {PollInterval} covers it, listening again in {Delay}")]
    public static partial void ListenerDropped(this ILogger logger, Exception exception, string engine, string location, TimeSpan pollInterval, TimeSpan delay);

    [LoggerMessage(EventId = 304, EventName = "Listening", Level = LogLevel.Debug,
        Message = "{Engine}: listening for invalidations ({Location})")]
    public static partial void Listening(this ILogger logger, string engine, string location);

    [LoggerMessage(EventId = 305, EventName = "Pruned", Level = LogLevel.Debug,
        Message = "{Engine}: deleted the invalidation log's rows through sequence {Sequence} (older than {Retention})")]
    public static partial void Pruned(this ILogger logger, string engine, long sequence, TimeSpan retention);

    [LoggerMessage(EventId = 306, EventName = "PruneFailed", Level = LogLevel.Warning,
        Message = "{Engine}: deleting old rows of the invalidation log failed; the next attempt is in {PruneInterval}")]
    public static partial void PruneFailed(this ILogger logger, Exception exception, string engine, TimeSpan pruneInterval);
}
