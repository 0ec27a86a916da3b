using Microsoft.Extensions.Logging;
using TagCache.Events;
using TagCache.Stores;
using TagCache.Tags;

namespace TagCache;

/// <summary>
/// The named caches configured in <see cref="TagCacheOptions"/>, each with its own entries and tag versions, and the
/// <see cref="ICacheSweeper"/> for their <c>InvalidateOn</c> rules. Made by <see cref="TagCacheFactory.Create(Action{TagCacheOptions}?, TimeProvider?, ILoggerFactory?)"/>
/// or by a container; dispose it (or the container) to release the caches' memory and background timers.
/// </summary>
public sealed class TagCacheProvider : ITagCacheProvider, IDisposable, IAsyncDisposable
{
    private readonly Dictionary<string, TagCacheStore> _caches = new(StringComparer.Ordinal);

    internal TagCacheProvider(TagCacheOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = loggerFactory.CreateLogger("TagCache");
        foreach (var name in options.CacheNames)
        {
            var named = options.GetCacheOptions(name);
            _caches[name] = new TagCacheStore(
                name,
                named.DefaultTimeout ?? options.DefaultTimeout,
                named.SizeLimit ?? options.SizeLimit,
                options.ReclaimInterval,
                new InMemoryTagVersionStore(),
                time,
                logger);
        }

        Sweeper = new CacheSweeper(options.InvalidationRules, n => _caches.GetValueOrDefault(n), _caches.Keys);
    }

    /// <summary>Gets the sweeper that applies the <c>InvalidateOn</c> rules of the options to these caches.</summary>
    public ICacheSweeper Sweeper { get; }

    /// <summary>Gets the names of the caches, <see cref="TagCacheOptions.DefaultCacheName"/> included.</summary>
    public IReadOnlyCollection<string> CacheNames => _caches.Keys;

    /// <inheritdoc/>
    public ITagCache GetCache(string name) => GetStore(name);

    /// <summary>Disposes every cache: their memory caches and timers; a computation still running ends with <see cref="ObjectDisposedException"/> for its callers.</summary>
    public void Dispose()
    {
        foreach (var cache in _caches.Values)
        {
            cache.Dispose();
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    internal TagCacheStore GetStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _caches.TryGetValue(name, out var cache)
            ? cache
            : throw new KeyNotFoundException(
                $"No TagCache named '{name}' is configured. Configured caches: {string.Join(", ", _caches.Keys)}. " +
                $"Add it with options.AddCache(\"{name}\").");
    }
}
