using Microsoft.Extensions.Caching.Hybrid;
using TagCache;
using TagCache.Hybrid;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TagCache as Microsoft's <see cref="HybridCache"/>.</summary>
public static class TagCacheHybridCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers TagCache's implementation as the <see cref="HybridCache"/> service, on top of whatever <c>AddTagCache</c>
    /// configured (PostgreSQL or Redis versions, a second level): <c>RemoveByTagAsync</c> on one node reaches every node,
    /// tags are race-safe and propagate from nested calls and factories, and <c>[CacheWithTags]</c> methods share the store.
    /// Serializers registered as Microsoft's builder registers them (<see cref="IHybridCacheSerializer{T}"/>,
    /// <see cref="IHybridCacheSerializerFactory"/>) copy mutable values for each caller.
    /// <code>
    /// services.AddTagCache(options => options.UsePostgres(connectionString));
    /// services.AddTagCacheHybridCache();
    /// </code>
    /// </summary>
    /// <param name="services">The services, where <c>AddTagCache</c> (Microsoft DI or Autofac) registers the caches.</param>
    /// <param name="cache">The TagCache cache it reads and writes.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddTagCacheHybridCache(this IServiceCollection services, string cache = TagCacheOptions.DefaultCacheName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(cache);
        services.AddSingleton<HybridCache>(provider => Create(provider, cache));
        return services;
    }

    /// <summary>
    /// Registers TagCache's implementation as a keyed <see cref="HybridCache"/> (the counterpart of Microsoft's
    /// <c>AddKeyedHybridCache</c>) over the named cache <paramref name="cache"/>, by default the one named like the key.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="serviceKey">The key it is resolved by (<c>[FromKeyedServices("catalog")] HybridCache cache</c>).</param>
    /// <param name="cache">The TagCache cache; <see langword="null"/> means the one named <paramref name="serviceKey"/>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddKeyedTagCacheHybridCache(this IServiceCollection services, object serviceKey, string? cache = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        var name = cache ?? serviceKey.ToString();
        ArgumentException.ThrowIfNullOrEmpty(name, nameof(cache));
        services.AddKeyedSingleton<HybridCache>(serviceKey, (provider, _) => Create(provider, name));
        return services;
    }

    private static TagCacheHybridCache Create(IServiceProvider provider, string cache) =>
        new(provider.GetRequiredService<ITagCacheProvider>().GetCache(cache), new ValueCopier(provider));
}
