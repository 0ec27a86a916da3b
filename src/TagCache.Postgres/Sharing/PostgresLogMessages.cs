using Microsoft.Extensions.Logging;

namespace TagCache.Postgres.Sharing;

/// <summary>The node's log messages; event ids 301 and up (TagCache.Core uses 1–299).</summary>
internal static partial class PostgresLogMessages
{
    [LoggerMessage(EventId = 301, EventName = "LogUnreachable", Level = LogLevel.Warning,
        Message = "TagCache.Postgres: reading the invalidation log in schema '{Schema}' failed; this node stops serving hits {MaxStaleness} after its last catch-up, and tries again every {PollInterval}")]
    public static partial void LogUnreachable(this ILogger logger, Exception exception, string schema, TimeSpan maxStaleness, TimeSpan pollInterval);

    [LoggerMessage(EventId = 302, EventName = "CaughtUp", Level = LogLevel.Information,
        Message = "TagCache.Postgres: caught up with the invalidation log in schema '{Schema}' after {Failures} failed attempts; applied through sequence {Sequence}")]
    public static partial void CaughtUp(this ILogger logger, string schema, int failures, long sequence);

    [LoggerMessage(EventId = 303, EventName = "ListenerDropped", Level = LogLevel.Warning,
        Message = "TagCache.Postgres: the LISTEN connection for '{Channel}' failed; polling every {PollInterval} covers it, reconnecting in {Delay}")]
    public static partial void ListenerDropped(this ILogger logger, Exception exception, string channel, TimeSpan pollInterval, TimeSpan delay);

    [LoggerMessage(EventId = 304, EventName = "Listening", Level = LogLevel.Debug,
        Message = "TagCache.Postgres: listening on '{Channel}'")]
    public static partial void Listening(this ILogger logger, string channel);

    [LoggerMessage(EventId = 305, EventName = "Pruned", Level = LogLevel.Debug,
        Message = "TagCache.Postgres: deleted the invalidation log's rows through sequence {Sequence} (older than {Retention})")]
    public static partial void Pruned(this ILogger logger, long sequence, TimeSpan retention);

    [LoggerMessage(EventId = 306, EventName = "PruneFailed", Level = LogLevel.Warning,
        Message = "TagCache.Postgres: deleting old rows of the invalidation log failed; the next attempt is in {PruneInterval}")]
    public static partial void PruneFailed(this ILogger logger, Exception exception, TimeSpan pruneInterval);
}
