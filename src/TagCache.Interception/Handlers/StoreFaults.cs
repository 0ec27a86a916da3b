using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TagCache.Interception.Handlers;

/// <summary>
/// Tells a fault of the cache (its storage is down, say) from the target's own exception, and logs the former. A cache
/// is an optimisation: when it fails, the call runs uncached rather than failing.
/// </summary>
/// <remarks>
/// A store fault is any exception out of a cache lookup or store that the target did not throw, except the errors
/// TagCache raises about the call itself, which must reach the caller: cancellation of the caller's wait
/// (<see cref="OperationCanceledException"/>), a cycle or a disposed cache (<see cref="InvalidOperationException"/>),
/// a value stored under the key as another type (<see cref="InvalidCastException"/>) and an invalid key or tag
/// (<see cref="ArgumentException"/>). Invalidation faults are never swallowed: a dropped invalidation would serve stale data.
/// </remarks>
internal sealed partial class StoreFaults(ILogger logger)
{
    // Exceptions a target threw on some call; a caller that joined that call's flight receives the same instance, which
    // must reach it unchanged and must not make it run the target itself.
    private static readonly ConditionalWeakTable<Exception, object> TargetExceptions = [];

    private static readonly object Marker = new();

    public static StoreFaults None { get; } = new(NullLogger.Instance);

    /// <summary>Notes that the target threw <paramref name="exception"/>; always false, for use as an exception filter that never catches.</summary>
    public static bool MarkTargetException(Exception exception)
    {
        TargetExceptions.AddOrUpdate(exception, Marker);
        return false;
    }

    public static bool IsStoreFault(Exception exception) =>
        exception is not (OperationCanceledException or InvalidOperationException or InvalidCastException or ArgumentException)
        && !TargetExceptions.TryGetValue(exception, out _);

    /// <summary>Logs a store fault; the key is left out because it holds argument values, which may be personal data.</summary>
    public void Log(Exception exception, string method)
    {
        if (logger.IsEnabled(LogLevel.Warning))
        {
            LogStoreFault(exception, method);
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "TagCache: the cache failed during a call of {Method}; the call ran without the cache")]
    private partial void LogStoreFault(Exception exception, string method);
}
