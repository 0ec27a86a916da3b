using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// The built-in in-process store's entry points beyond <see cref="ITagCache"/>, for the interceptor and the sweeper: a
/// lookup by a key formatted on the stack (so a hit allocates nothing) that says why it missed, a synchronous read-through
/// whose factory receives the flight's own token (so one caller's cancellation never cancels a computation others wait
/// for), invalidations that say where they come from, and call sites for telemetry. Any other <see cref="ITagCache"/> is
/// used through its public contract.
/// </summary>
internal interface ILocalTagCache
{
    /// <summary>Gets what the cache's entries vary by (or that they are shared across scopes); null when its options declare neither.</summary>
    TagCacheScopeOptions? Scope { get; }

    /// <summary>Looks the key up without counting the read: a hit (with the value), or why it missed.</summary>
    Lookup Look(ReadOnlySpan<char> key, out object? value);

    /// <summary>Looks a key (a string, or a method's <see cref="CallKey"/>) up without counting the read.</summary>
    Lookup Look(object key, out object? value);

    /// <summary>Gets the resilience settings of the cache's entries, which a method's settings override.</summary>
    Resilience.ResiliencePolicy Resilience { get; }

    /// <summary>Gets the serializer of the cache's second level; null when it has none.</summary>
    ITagCacheSerializer? SecondLevelSerializer { get; }

    /// <summary>Gets how long entries live when the call says nothing.</summary>
    TimeSpan DefaultTimeout { get; }

    /// <summary>Starts one background refresh of an entry a lookup found due (<see cref="Lookup.RefreshDue"/>), unless one runs.</summary>
    /// <param name="key">A key of its own, not a probe.</param>
    /// <param name="options">The options of the read, for the refresh's tags and settings.</param>
    /// <param name="factory">Computes the value, with the refresh's token.</param>
    void Refresh<T>(object key, TagCacheEntryOptions? options, Func<CancellationToken, ValueTask<T>> factory);

    /// <inheritdoc cref="Refresh{T}(object, TagCacheEntryOptions?, Func{CancellationToken, ValueTask{T}})"/>
    void Refresh<T>(object key, TagCacheEntryOptions? options, Func<CancellationToken, T> factory);

    /// <summary>Gets the call site of an intercepted method, which counts its reads and computations.</summary>
    SiteTelemetry SiteOf(string method);

    /// <summary><see cref="ITagCache.GetOrSet{T}"/>, with the flight's token for the factory and the caller's token for its wait.</summary>
    /// <remarks>The key is a string or a method's <see cref="CallKey"/>, as for the methods below.</remarks>
    T GetOrSet<T>(object key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="ITagCache.GetOrSetAsync{T}"/>, for a string or a method's <see cref="CallKey"/>; <paramref name="joined"/> is
    /// the running flight this caller joined from outside any computation with nothing to cancel, where it may publish its
    /// answer for later callers like it (<see cref="Flight.Share"/>).
    /// </summary>
    ValueTask<T> GetOrSetAsync<T>(object key, Func<CancellationToken, ValueTask<T>> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken, out Flight? joined);

    /// <summary>
    /// For a caller outside any computation, with nothing to cancel: the answer another such caller published on the key's
    /// running flight, to share instead of waiting on its own; null if there is none.
    /// </summary>
    TShared? JoinShared<TShared>(object key)
        where TShared : class;

    /// <summary><see cref="ITagCache.InvalidateTags"/>, recorded with its origin.</summary>
    void InvalidateTags(IReadOnlyList<string> tags, InvalidationOrigin origin);

    /// <summary><see cref="ITagCache.InvalidateTagsAsync"/>, recorded with its origin.</summary>
    ValueTask InvalidateTagsAsync(IReadOnlyList<string> tags, InvalidationOrigin origin, CancellationToken cancellationToken);
}

/// <summary>Invalidates through any <see cref="ITagCache"/>, telling the built-in store where the invalidation comes from.</summary>
internal static class OriginatedInvalidation
{
    public static void InvalidateTags(this ITagCache cache, IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        if (cache is ILocalTagCache local)
        {
            local.InvalidateTags(tags, origin);
        }
        else
        {
            cache.InvalidateTags([.. tags]);
        }
    }

    public static ValueTask InvalidateTagsAsync(this ITagCache cache, IReadOnlyList<string> tags, InvalidationOrigin origin, CancellationToken cancellationToken = default) =>
        cache is ILocalTagCache local ? local.InvalidateTagsAsync(tags, origin, cancellationToken) : cache.InvalidateTagsAsync(tags, cancellationToken);
}
