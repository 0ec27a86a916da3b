using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TagCache.Interception.Checks;

/// <summary>
/// The one setup both container adapters register: how each TagCache service is made from what the container holds.
/// Each adapter only maps these onto its own registration API, so they cannot drift apart.
/// </summary>
internal static class TagCacheComponents
{
    /// <summary>
    /// Checks the configuration (the <c>InvalidateOn</c> rules, every service listed in <paramref name="proxied"/>, and the
    /// invalidations that can match nothing) and makes the caches. Autofac checks when the container is built and passes
    /// <see langword="null"/> here; Microsoft DI, whose options are known only now, lists its proxied services.
    /// </summary>
    /// <exception cref="TagCacheConfigurationException">Something is misconfigured; every problem is listed.</exception>
    public static TagCacheProvider CreateCaches(TagCacheOptions options, TimeProvider? time, ILoggerFactory? loggers, IMeterFactory? meters, IEnumerable<ProxiedRegistration>? proxied, ContainerCheck? container = null)
    {
        if (proxied is not null)
        {
            ConfigurationCheck.ThrowIfInvalid(options, proxied, loggers, container);
        }

        return TagCacheFactory.Create(options, time, loggers, meters);
    }

    public static ITagCache DefaultCache(ITagCacheProvider caches) => caches.GetCache(TagCacheOptions.DefaultCacheName);

    public static ICacheSweeper Sweeper(ITagCacheProvider caches) => TagCacheFactory.GetSweeper(caches);

    public static TagCacheInterceptor CreateInterceptor(ITagCacheProvider caches, ILoggerFactory? loggers) =>
        new(caches, (loggers ?? NullLoggerFactory.Instance).CreateLogger<TagCacheInterceptor>());
}
