using Microsoft.Extensions.Caching.Hybrid;

namespace TagCache.Hybrid;

/// <summary>
/// A <see cref="HybridCache"/> over one of TagCache's caches: the same store as <c>[CacheWithTags]</c> methods and pages,
/// so one tag invalidates them together, on every node that shares tag versions. A factory runs as a TagCache
/// computation: tags it appends (<see cref="CacheTags.Append"/>) and those of cached calls it makes are the entry's too,
/// and an invalidation while it runs keeps its value out of the cache (the race rule).
/// </summary>
internal sealed class TagCacheHybridCache(ITagCache cache, ValueCopier copier) : HybridCache
{
    private const HybridCacheEntryFlags DistributedOff = HybridCacheEntryFlags.DisableDistributedCacheRead | HybridCacheEntryFlags.DisableDistributedCacheWrite;

    public override ValueTask<T> GetOrCreateAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(factory);

        // The hit path of TagCache's own store: no options, closure or state machine, nothing allocated for an immutable value.
        if (key.Length > 0 && cache is Stores.TagCacheStore store && options?.Flags is null or HybridCacheEntryFlags.None && !cancellationToken.IsCancellationRequested)
        {
            var lookup = store.TryServe<T>(key, out var hit);
            if (lookup is Telemetry.Lookup.Hit or Telemetry.Lookup.Fallback or Telemetry.Lookup.RefreshDue)
            {
                if (lookup == Telemetry.Lookup.RefreshDue)
                {
                    Refresh(store, key, state, factory, options, tags);
                }

                return ValueTask.FromResult(copier.ForCaller(hit));
            }
        }

        return GetOrCreateSlowAsync(key, state, factory, options, tags, cancellationToken);
    }

    /// <summary>Starts the background refresh a hit found due (a method of its own: its closure is allocated only then).</summary>
    private static void Refresh<TState, T>(Stores.TagCacheStore store, string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options, IEnumerable<string>? tags) =>
        store.Refresh(key, Entry(options, tags), token => factory(state, token));

    private async ValueTask<T> GetOrCreateSlowAsync<TState, T>(string key, TState state, Func<TState, CancellationToken, ValueTask<T>> factory, HybridCacheEntryOptions? options, IEnumerable<string>? tags, CancellationToken cancellationToken)
    {
        if (key.Length == 0)
        {
            // A key no cache can hold: like Microsoft's for a key it refuses, the factory answers and nothing is kept.
            return await factory(state, cancellationToken).ConfigureAwait(false);
        }

        var flags = options?.Flags ?? HybridCacheEntryFlags.None;
        var entry = Entry(options, tags);
        var read = !flags.HasFlag(HybridCacheEntryFlags.DisableLocalCacheRead);
        var write = !flags.HasFlag(HybridCacheEntryFlags.DisableLocalCacheWrite);
        if (flags.HasFlag(HybridCacheEntryFlags.DisableUnderlyingData))
        {
            return read && cache.TryGet<T>(key, out var found) ? copier.ForCaller(found) : default!;
        }

        if (read && write)
        {
            var value = await cache.GetOrSetAsync(key, token => factory(state, token), entry, cancellationToken).ConfigureAwait(false);
            return copier.ForCaller(value);
        }

        // A flag turns the local cache off one way: read past it, or compute without keeping the value.
        if (read && cache.TryGet<T>(key, out var hit))
        {
            return copier.ForCaller(hit);
        }

        var computed = await factory(state, cancellationToken).ConfigureAwait(false);
        if (write)
        {
            cache.Set(key, copier.ForCaller(computed), entry);
        }

        return copier.ForCaller(computed);
    }

    public override ValueTask SetAsync<T>(string key, T value, HybridCacheEntryOptions? options = null, IEnumerable<string>? tags = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (!(options?.Flags ?? HybridCacheEntryFlags.None).HasFlag(HybridCacheEntryFlags.DisableLocalCacheWrite))
        {
            // A copy of a mutable value, so the caller's later changes to its object are not the cache's.
            cache.Set(key, copier.ForCaller(value), Entry(options, tags));
        }

        return ValueTask.CompletedTask;
    }

    public override ValueTask RemoveAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        cache.Remove(key);
        return ValueTask.CompletedTask;
    }

    public override ValueTask RemoveAsync(IEnumerable<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            cancellationToken.ThrowIfCancellationRequested();
            cache.Remove(key);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Invalidates the tag on every node that shares versions; <c>"*"</c> removes everything.</summary>
    public override ValueTask RemoveByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return cache.InvalidateTagsAsync([tag], cancellationToken);
    }

    public override ValueTask RemoveByTagAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        string[] list = [.. tags];
        return list.Length == 0 ? ValueTask.CompletedTask : cache.InvalidateTagsAsync(list, cancellationToken);
    }

    /// <summary>
    /// The entry as TagCache stores it: its tags, its lifetime in memory (<see cref="HybridCacheEntryOptions.LocalCacheExpiration"/>,
    /// else <see cref="HybridCacheEntryOptions.Expiration"/>, else the cache's default), and whether it goes to the second level.
    /// </summary>
    private static TagCacheEntryOptions Entry(HybridCacheEntryOptions? options, IEnumerable<string>? tags) => new()
    {
        Tags = tags is null ? [] : tags as IReadOnlyCollection<string> ?? [.. tags],
        Timeout = options?.LocalCacheExpiration ?? options?.Expiration,
        SecondLevel = ((options?.Flags ?? HybridCacheEntryFlags.None) & DistributedOff) == 0,
    };
}
