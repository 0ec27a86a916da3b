namespace TagCache.Events;

/// <summary>One <see cref="TagCacheOptions.InvalidateOn{TEvent}"/> registration, with its tag function made untyped once.</summary>
internal sealed class InvalidationRule(Type eventType, Func<object, IEnumerable<string>?> tags, string cacheName)
{
    public Type EventType { get; } = eventType;

    public Func<object, IEnumerable<string>?> Tags { get; } = tags;

    public string CacheName { get; } = cacheName;

    public static InvalidationRule Create<TEvent>(Func<TEvent, IEnumerable<string>> tags, string cacheName)
    {
        // The cast is checked once per event type when rules are matched, so it cannot fail here.
        return new InvalidationRule(typeof(TEvent), e => tags((TEvent)e), cacheName);
    }
}
