using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TagCache;
using TagCache.DependencyInjection;
using TagCache.Interception;
using TagCache.Interception.Checks;
using TagCache.Interception.Generated;

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
    /// <see cref="TagCacheInterceptor"/>. The options are checked, with the services proxied by <see cref="AddTagCaching{TService}(IServiceCollection)"/>,
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
            services.AddSingleton(new ProxiedServices(services));
        }

        // A host runs the complete configuration check as it starts, even if nothing resolves the caches before a request.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, TagCacheStartupCheck>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TagCacheOptions>>().Value);
        services.TryAddSingleton(sp =>
        {
            var proxied = sp.GetRequiredService<ProxiedServices>();
            return TagCacheComponents.CreateCaches(
                sp.GetRequiredService<TagCacheOptions>(),
                sp.GetService<TimeProvider>(),
                sp.GetService<ILoggerFactory>(),
                sp.GetService<IMeterFactory>(),
                proxied,
                new ContainerCheck(new ServiceCollectionFacts(proxied.Services), service => $"services.AddTagCaching<{service.Name}>()"));
        });
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
    /// <exception cref="TagCacheConfigurationException">An attribute of the service is invalid, or a registration that can hold
    /// per-scope state (Scoped, or Transient with a Scoped dependency) declares nothing about its scope (see the overload
    /// that takes a <see cref="TagCacheScopeOptions"/>).</exception>
    public static IServiceCollection AddTagCaching<TService>(this IServiceCollection services)
        where TService : class => AddTagCaching<TService>(services, declared: null);

    /// <summary>
    /// <see cref="AddTagCaching{TService}(IServiceCollection)"/>, with what the service's entries vary by besides the
    /// arguments, read from the caller's scope at every call: <c>AddTagCaching&lt;IInvoices&gt;(scope =&gt; scope.VaryBy((TenantContext t) =&gt; t.TenantId))</c>;
    /// or that they are the same in every scope: <c>AddTagCaching&lt;ICatalog&gt;(scope =&gt; scope.SharedAcrossScopes())</c>.
    /// It replaces the caches' <see cref="TagCacheOptions.Scope"/> for this service.
    /// </summary>
    /// <typeparam name="TService">The service interface whose methods carry the attributes.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="scope">Declares what the entries vary by.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TService"/> is not an interface.</exception>
    /// <exception cref="InvalidOperationException">TagCache or <typeparamref name="TService"/> is not registered yet.</exception>
    /// <exception cref="TagCacheConfigurationException">An attribute of the service, or the declaration, is invalid.</exception>
    public static IServiceCollection AddTagCaching<TService>(this IServiceCollection services, Action<TagCacheScopeOptions> scope)
        where TService : class
    {
        ArgumentNullException.ThrowIfNull(scope);
        var declared = new TagCacheScopeOptions();
        scope(declared);
        return AddTagCaching<TService>(services, declared);
    }

    private static IServiceCollection AddTagCaching<TService>(IServiceCollection services, TagCacheScopeOptions? declared)
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
        ProxiedRegistration[] registrations =
        [
            .. targets.Select(t => new ProxiedRegistration(serviceType.Name, [serviceType], TagCachingProxyFactory.TargetTypeOf(t.Descriptor))
            {
                Lifetime = ServiceCollectionFacts.LifetimeOf(t.Descriptor.Lifetime),
                Declared = declared,
                Declaration = lambda => $"services.AddTagCaching<{serviceType.Name}>({lambda})",
            }),
        ];
        ConfigurationCheck.ThrowIfInvalid(options: null, registrations);

        // The options are complete only when the caches are made (where the whole check runs again); what they declare so
        // far is enough to refuse, now, a scoped service that declares nothing about its scope.
        if (ProbeOptions(services) is { } probe)
        {
            ConfigurationCheck.ThrowIfScopeUndeclared(probe, registrations, new ServiceCollectionFacts(services));
        }

        proxied.AddRange(registrations);
        foreach (var (index, descriptor) in targets)
        {
            services[index] = new TagCachingProxyFactory(serviceType, descriptor, declared, TagCacheDecorators.Find<TService>()).Describe();
        }

        return services;
    }

    /// <summary>
    /// The options as the configure actions registered so far make them (<c>AddTagCache(configure)</c>,
    /// <c>services.Configure&lt;TagCacheOptions&gt;(...)</c>); null if one of them cannot run yet.
    /// </summary>
    private static TagCacheOptions? ProbeOptions(IServiceCollection services)
    {
        var probe = new TagCacheOptions();
        try
        {
            foreach (var configure in services
                .Where(d => d.ServiceType == typeof(IConfigureOptions<TagCacheOptions>) && !d.IsKeyedService)
                .Select(d => d.ImplementationInstance)
                .OfType<ConfigureNamedOptions<TagCacheOptions>>()
                .Where(c => string.IsNullOrEmpty(c.Name)))
            {
                configure.Action?.Invoke(probe);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // It will run, and fail if it must, when the caches are made; the check then runs in full.
            return null;
        }

        return probe;
    }

    private static ProxiedServices? FindProxied(IServiceCollection services) =>
        services.FirstOrDefault(d => d.ServiceType == typeof(ProxiedServices) && !d.IsKeyedService)?.ImplementationInstance as ProxiedServices;
}
