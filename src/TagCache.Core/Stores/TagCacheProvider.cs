using Microsoft.Extensions.Logging;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>The named caches, each with its own entries and tag versions.</summary>
internal sealed class TagCacheProvider : ITagCacheProvider, IDisposable
{
    private readonly Dictionary<string, TagCacheStore> _caches = new(StringComparer.Ordinal);

    public TagCacheProvider(TagCacheOptions options, TimeProvider time, ILoggerFactory loggerFactory)
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
                options.SweepInterval,
                new InMemoryTagVersionStore(),
                time,
                logger);
        }

        Sweeper = new Events.CacheSweeper(options.InvalidationRules, n => _caches.GetValueOrDefault(n), _caches.Keys);
    }

    /// <summary>Gets the sweeper for the <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/> registrations, bound to these caches.</summary>
    internal ICacheSweeper Sweeper { get; }

    public ITagCache GetCache(string name) => GetStore(name);

    internal TagCacheStore GetStore(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _caches.TryGetValue(name, out var cache)
            ? cache
            : throw new KeyNotFoundException(
                $"No TagCache named '{name}' is configured. Configured caches: {string.Join(", ", _caches.Keys)}. " +
                $"Add it with options.AddCache(\"{name}\").");
    }

    internal bool Contains(string name) => _caches.ContainsKey(name);

    internal IReadOnlyCollection<string> Names => _caches.Keys;

    public void Dispose()
    {
        foreach (var cache in _caches.Values)
        {
            cache.Dispose();
        }
    }
}
