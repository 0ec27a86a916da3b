using TagCache.SecondLevel;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// The second level inside a flight: a starting computation first asks it (the value it accepts becomes the computation's,
/// its tags joining late so the race rule judges them), and a computed value that the first level may keep is written to
/// it, with its stamp, before the flight's callers are answered, so a node that reads next finds it.
/// </summary>
internal sealed partial class TagCacheStore
{
    private readonly SecondLevelCache? _secondLevel;

    /// <summary>Gets the second level of this cache; null when it has none.</summary>
    internal SecondLevelCache? SecondLevel => _secondLevel;

    /// <inheritdoc/>
    public ITagCacheSerializer? SecondLevelSerializer => _secondLevel?.Serializer;

    private SecondLevelCache? SecondLevelFor(TagCacheEntryOptions? options) => options is { SecondLevel: false } ? null : _secondLevel;

    /// <summary>
    /// Asks the second level for a starting flight's value (and, with fleet-wide single flight, the key's lock on a miss); a
    /// refresh or a hedge wants a new computation, not the shared copy.
    /// </summary>
    private static ValueTask<SecondLevelRead<T>> ReadSecondLevel<T>(SecondLevelCache? secondLevel, object key, Flight<T> flight) =>
        secondLevel is null || flight.IsRefresh || flight.IsHedge ? default : secondLevel.ReadOrLockAsync<T>(key, flight.Token);

    /// <summary>Releases the key's fleet-wide lock, if the computation held it, once its value is written (or it failed).</summary>
    private static ValueTask ReleaseSecondLevel(SecondLevelCache? secondLevel, IAsyncDisposable? taken) =>
        secondLevel is null || taken is null ? default : secondLevel.ReleaseAsync(taken);

    /// <summary>Makes the second level's value the computation's: its tags join as tags learned late, which an invalidation since the start poisons.</summary>
    private static T Take<T>(Flight<T> flight, SecondLevelHit<T> hit)
    {
        foreach (var tag in hit.Tags)
        {
            flight.Owner.AddLateTag(tag);
        }

        flight.AnsweredBySecondLevel(hit.Remaining);
        return hit.Value;
    }

    /// <summary>
    /// Writes a computed value that the first level may keep to the second, stamped with where its computation started.
    /// Ends the computation first, so no tag joins it after the stamp is written. Never throws.
    /// </summary>
    private ValueTask WriteSecondLevel<T>(SecondLevelCache? secondLevel, object key, Flight<T> flight, T value, LogStamp? start, TagCacheEntryOptions? options, SiteTelemetry site)
    {
        if (secondLevel is null || start is not { } stamp || flight.FromSecondLevel)
        {
            return default;
        }

        flight.Owner.End();
        var stamps = flight.Owner.SnapshotStamps();
        if (flight.Owner.IsPoisoned || !CacheEntryBox.AreCurrent(stamps) || !MayStore(stamps) || DeferredSequences.IsDeferred(value))
        {
            return default;
        }

        return secondLevel.WriteAsync(key, value, stamp, stamps, options?.Timeout ?? _defaultTimeout, site.Method, CancellationToken.None);
    }

    /// <summary>Waits for a second-level operation on a synchronous caller's thread.</summary>
    private static TResult Wait<TResult>(ValueTask<TResult> operation) =>
        operation.IsCompletedSuccessfully ? operation.Result : operation.AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait{TResult}(ValueTask{TResult})"/>
    private static void Wait(ValueTask operation)
    {
        if (!operation.IsCompletedSuccessfully)
        {
            operation.AsTask().GetAwaiter().GetResult();
        }
    }
}
