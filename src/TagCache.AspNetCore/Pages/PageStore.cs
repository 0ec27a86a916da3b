using Microsoft.Extensions.Options;
using TagCache.Stores;

namespace TagCache.AspNetCore.Pages;

/// <summary>The TagCache that holds pages and fragments (<see cref="TagCacheOutputCacheOptions.Cache"/>), found once.</summary>
internal sealed class PageStore(TagCacheProvider caches, IOptions<TagCacheOutputCacheOptions> options)
{
    public TagCacheStore Store { get; } = Find(caches, options.Value.Cache);

    /// <summary>Gets the named cache, or a configuration error naming the option and the fix.</summary>
    public static TagCacheStore Find(TagCacheProvider caches, string name) =>
        caches.CacheNames.Contains(name)
            ? caches.GetStore(name)
            : throw new TagCacheConfigurationException(
                [$"TagCacheOutputCacheOptions.Cache is '{name}', but no TagCache has that name (configured: {string.Join(", ", caches.CacheNames)}). Add it with options.AddCache(\"{name}\") or name a configured cache."],
                PagePlans.Subject);
}
