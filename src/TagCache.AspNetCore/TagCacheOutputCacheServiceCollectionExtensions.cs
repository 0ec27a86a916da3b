using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TagCache.AspNetCore;
using TagCache.AspNetCore.Pages;

// In the namespace of AddOutputCache, so the extension is found where services are added.
namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes TagCache the store of ASP.NET Core's output caching, for tag-cached pages and fragments.</summary>
public static class TagCacheOutputCacheServiceCollectionExtensions
{
    /// <summary>
    /// Adds ASP.NET Core's output caching (<c>AddOutputCache</c>) with a TagCache as its store, the policy behind
    /// <see cref="OutputCacheWithTagsAttribute"/> and <c>CacheWithTags</c>, and the startup check of their templates. TagCache
    /// itself is registered as usual (<c>AddTagCache</c>, for Autofac or Microsoft DI); call <c>app.UseOutputCache()</c> after
    /// routing, and add <c>@addTagHelper *, TagCache.AspNetCore</c> to use <see cref="CacheTagsTagHelper"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the cache that holds pages and fragments, and the hit/miss header.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTagCacheOutputCache(this IServiceCollection services, Action<TagCacheOutputCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOutputCache();
        var options = services.AddOptions<TagCacheOutputCacheOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton<PageStore>();
        services.TryAddSingleton(sp => new PagePlans(sp.GetRequiredService<PageStore>().Store));
        services.TryAddSingleton<PageCaching>();
        services.TryAddSingleton<TagCache.AspNetCore.Fragments.FragmentCaching>();
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore, TagCacheOutputCacheStore>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, EndpointCheck>());
        return services;
    }
}
