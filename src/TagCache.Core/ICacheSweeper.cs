namespace TagCache;

/// <summary>
/// Invalidates the tags registered for a domain event with <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/>: the
/// counterpart of django-cache-tags' registry of model save/delete signals. An application with its own event
/// dispatcher calls <see cref="Sweep"/> (or <see cref="SweepAsync"/>) for every event it publishes.
/// </summary>
public interface ICacheSweeper
{
    /// <summary>
    /// Invalidates the tags of every registration whose event type is the type of <paramref name="domainEvent"/>, one of
    /// its base types or one of its interfaces. An event nobody registered for invalidates nothing.
    /// </summary>
    /// <param name="domainEvent">The event that happened.</param>
    /// <exception cref="ArgumentNullException"><paramref name="domainEvent"/> is null.</exception>
    /// <exception cref="ArgumentException">A registered tag function returned a null or empty tag.</exception>
    void Sweep(object domainEvent);

    /// <summary>Asynchronous <see cref="Sweep"/>, for version stores that live on another machine.</summary>
    /// <param name="domainEvent">The event that happened.</param>
    /// <param name="cancellationToken">Cancels invalidations not yet applied.</param>
    /// <returns>A task that completes once no read can serve an entry carrying the event's tags.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="domainEvent"/> is null.</exception>
    ValueTask SweepAsync(object domainEvent, CancellationToken cancellationToken = default);
}
