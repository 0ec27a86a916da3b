using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TagCache;
using TagCache.DependencyInjection;
using TagCache.Interception;
using TagCache.Interception.Checks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TagCache with Microsoft.Extensions.DependencyInjection and proxies registered services.</summary>
public static class TagCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers TagCache: <see cref="TagCacheOptions"/> through the options pattern (<paramref name="configure"/> is added
    /// with <c>services.Configure</c>, so this and <c>services.Configure&lt;TagCacheOptions&gt;(...)</c> can be called any
    /// number of times, in any order), the caches (<see cref="TagCacheProvider"/> and <see cref="ITagCacheProvider"/>,
    /// disposed with the provider), the default <see cref="ITagCache"/>, the <see cref="ICacheSweeper"/> for the
    /// <c>InvalidateOn</c> rules, <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered, and the
    /// <see cref="TagCacheInterceptor"/>. The options are checked, with the services proxied by <see cref="AddTagCaching{TService}"/>,
    /// when the caches are first resolved (at the latest, at the first resolve of a proxied service).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets defaults and adds named caches.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTagCache(this IServiceCollection services, Action<TagCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TagCacheOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        if (FindProxied(services) is null)
        {
            services.AddSingleton(new ProxiedServices());
        }

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TagCacheOptions>>().Value);
        services.TryAddSingleton(sp => TagCacheComponents.CreateCaches(
            sp.GetRequiredService<TagCacheOptions>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILoggerFactory>(),
            sp.GetService<IMeterFactory>(),
            sp.GetRequiredService<ProxiedServices>()));
        services.TryAddSingleton<ITagCacheProvider>(sp => sp.GetRequiredService<TagCacheProvider>());
        services.TryAddSingleton(sp => TagCacheComponents.DefaultCache(sp.GetRequiredService<ITagCacheProvider>()));
        services.TryAddSingleton(sp => TagCacheComponents.Sweeper(sp.GetRequiredService<ITagCacheProvider>()));
        services.TryAddSingleton(sp => TagCacheComponents.CreateInterceptor(sp.GetRequiredService<ITagCacheProvider>(), sp.GetService<ILoggerFactory>()));
        return services;
    }

    /// <summary>
    /// Replaces every registration of <typeparamref name="TService"/> (by type, factory or instance, keyed or not) with one
    /// that returns the same implementation wrapped in a caching proxy, with the same lifetime and key; the entries of
    /// different registrations stay apart. The service's attributes are checked now, as far as they can be without the
    /// options (templates, members, shapes, timeouts: the interface's always, the implementation's where the registration
    /// names its type), and all problems are reported in one <see cref="TagCacheConfigurationException"/>; cache names, and
    /// a factory's product, are checked at the first resolve. Call <see cref="AddTagCache"/> and register the service first;
    /// calling it again for the same service does nothing.
    /// </summary>
    /// <typeparam name="TService">The service interface whose methods carry the attributes.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TService"/> is not an interface.</exception>
    /// <exception cref="InvalidOperationException">TagCache or <typeparamref name="TService"/> is not registered yet.</exception>
    /// <exception cref="TagCacheConfigurationException">An attribute of the service is invalid.</exception>
    public static IServiceCollection AddTagCaching<TService>(this IServiceCollection services)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(services);
        var serviceType = typeof(TService);
        if (!serviceType.IsInterface)
        {
            throw new ArgumentException($"AddTagCaching proxies interfaces, but {serviceType.Name} is a class. Register and proxy it through its interface.", nameof(TService));
        }

        var proxied = FindProxied(services)
            ?? throw new InvalidOperationException($"Call services.AddTagCache() before services.AddTagCaching<{serviceType.Name}>().");

        var targets = new List<(int Index, ServiceDescriptor Descriptor)>();
        for (var i = 0; i < services.Count; i++)
        {
            if (services[i].ServiceType == serviceType)
            {
                targets.Add((i, services[i]));
            }
        }

        if (targets.Count == 0)
        {
            throw new InvalidOperationException($"{serviceType.Name} is not registered. Register it (e.g. services.AddScoped<{serviceType.Name}, ...>()) before calling AddTagCaching<{serviceType.Name}>().");
        }

        targets.RemoveAll(t => TagCachingProxyFactory.IsProxying(t.Descriptor));
        ProxiedRegistration[] registrations = [.. targets.Select(t => new ProxiedRegistration(serviceType.Name, [serviceType], TagCachingProxyFactory.TargetTypeOf(t.Descriptor)))];
        ConfigurationCheck.ThrowIfInvalid(options: null, registrations);
        proxied.AddRange(registrations);
        foreach (var (index, descriptor) in targets)
        {
            services[index] = new TagCachingProxyFactory(serviceType, descriptor).Describe();
        }

        return services;
    }

    private static ProxiedServices? FindProxied(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(ProxiedServices) && !d.IsKeyedService)?.ImplementationInstance as ProxiedServices;
}
