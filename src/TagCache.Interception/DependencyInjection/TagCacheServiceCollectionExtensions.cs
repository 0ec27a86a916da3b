using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagCache;
using TagCache.Interception;
using TagCache.Interception.Checks;
using TagCache.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TagCache with Microsoft.Extensions.DependencyInjection and proxies registered services.</summary>
public static class TagCacheServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="TagCacheOptions"/>, <see cref="ITagCacheProvider"/> (disposed with the provider), the default
    /// <see cref="ITagCache"/>, the <see cref="ICacheSweeper"/> for <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/>
    /// (an unknown cache name there fails when the caches are first resolved, or in <c>AddTagCaching</c>),
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered, and the
    /// <see cref="TagCacheInterceptor"/>. Safe to call more than once: later calls configure the same options.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets defaults and adds named caches.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddTagCache(this IServiceCollection services, Action<TagCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = FindOptions(services);
        if (options is null)
        {
            options = new TagCacheOptions();
            services.AddSingleton(options);
        }

        configure?.Invoke(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITagCacheProvider>(sp => new TagCacheProvider(
            sp.GetRequiredService<TagCacheOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton(sp => sp.GetRequiredService<ITagCacheProvider>().GetCache(TagCacheOptions.DefaultCacheName));
        services.TryAddSingleton(sp => TagCacheFactory.GetSweeper(sp.GetRequiredService<ITagCacheProvider>()));
        services.TryAddSingleton(sp => new TagCacheInterceptor(
            sp.GetRequiredService<ITagCacheProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<TagCacheInterceptor>()));
        return services;
    }

    /// <summary>
    /// Replaces every registration of <typeparamref name="TService"/> (by type, factory or instance, keyed or not) with one
    /// that returns the same implementation wrapped in a caching proxy, with the same lifetime and key; the entries of
    /// different registrations stay apart. Every attribute that can be known now is checked now (the interface's always,
    /// the implementation's where the registration names its type), and all problems are reported in one
    /// <see cref="TagCacheConfigurationException"/>; a factory's product is checked at its first resolve. Call
    /// <see cref="AddTagCache"/> and register the service first; calling it again for the same service does nothing.
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

        var options = FindOptions(services)
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
        ConfigurationCheck.ThrowIfInvalid(
            options,
            targets.Select(t => new ProxiedRegistration(serviceType.Name, [serviceType], TagCachingProxyFactory.TargetTypeOf(t.Descriptor))));
        foreach (var (index, descriptor) in targets)
        {
            services[index] = new TagCachingProxyFactory(serviceType, descriptor).Describe();
        }

        return services;
    }

    private static TagCacheOptions? FindOptions(IServiceCollection services) =>
        services.LastOrDefault(d => d.ServiceType == typeof(TagCacheOptions) && !d.IsKeyedService)?.ImplementationInstance as TagCacheOptions;
}
