namespace TagCache;

/// <summary>Gives access to the named caches configured in <see cref="TagCacheOptions"/>.</summary>
public interface ITagCacheProvider
{
    /// <summary>Gets the cache called <paramref name="name"/>; <see cref="TagCacheOptions.DefaultCacheName"/> always exists.</summary>
    /// <param name="name">The cache name.</param>
    /// <returns>The named cache.</returns>
    /// <exception cref="KeyNotFoundException">No cache of that name was configured; the message lists the configured names.</exception>
    ITagCache GetCache(string name);
}
