using System.Diagnostics.Metrics;
using Autofac.Builder;
using Autofac.Core;
using Autofac.Core.Activators.ProvidedInstance;
using Autofac.Core.Activators.Reflection;
using Autofac.Core.Resolving.Pipeline;
using Microsoft.Extensions.Logging;
using TagCache;
using TagCache.AutofacIntegration;
using TagCache.Interception;
using TagCache.Interception.Checks;

namespace Autofac;

/// <summary>Registers TagCache with Autofac and enables declarative caching on registrations.</summary>
public static class TagCacheRegistrationExtensions
{
    /// <summary>Where the registrations <see cref="EnableTagCaching{TLimit, TActivatorData, TRegistrationStyle}(IRegistrationBuilder{TLimit, TActivatorData, TRegistrationStyle})"/> proxies are listed for the build check: in the component registry's properties.</summary>
    internal const string RegistrationsPropertyKey = "TagCache.ProxiedRegistrations";

    /// <summary>The metadata key that marks a registration TagCache proxies, for the check of services left unproxied.</summary>
    internal const string ProxiedMetadataKey = "TagCache.Proxied";

    private const string OptionsPropertyKey = "TagCache.Options";

    /// <summary>
    /// Registers <see cref="TagCacheOptions"/>, the caches (<see cref="TagCacheProvider"/> and <see cref="ITagCacheProvider"/>,
    /// disposed with the container), the default <see cref="ITagCache"/>, the <see cref="ICacheSweeper"/> for the
    /// <c>InvalidateOn</c> rules, <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered, and the
    /// <see cref="TagCacheInterceptor"/>. When the container is built, every method of every service registered with
    /// <see cref="EnableTagCaching{TLimit, TActivatorData, TRegistrationStyle}(IRegistrationBuilder{TLimit, TActivatorData, TRegistrationStyle})"/> is checked, and all problems are reported in one <see cref="TagCacheConfigurationException"/>.
    /// Calling it again applies <paramref name="configure"/> to the same options.
    /// </summary>
    /// <param name="builder">The container builder.</param>
    /// <param name="configure">Sets defaults and adds named caches.</param>
    /// <returns>The builder, for chaining.</returns>
    public static ContainerBuilder AddTagCache(this ContainerBuilder builder, Action<TagCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Properties.TryGetValue(OptionsPropertyKey, out var existing) && existing is TagCacheOptions added)
        {
            configure?.Invoke(added);
            return builder;
        }

        var options = new TagCacheOptions();
        configure?.Invoke(options);
        builder.Properties[OptionsPropertyKey] = options;

        builder.RegisterInstance(options).ExternallyOwned();
        builder.RegisterInstance(TimeProvider.System).As<TimeProvider>().ExternallyOwned().PreserveExistingDefaults();

        // The services were checked when the container was built (CheckOnBuild); the caches need only their own options.
        builder.Register(c => TagCacheComponents.CreateCaches(c.Resolve<TagCacheOptions>(), c.Resolve<TimeProvider>(), c.ResolveOptional<ILoggerFactory>(), c.ResolveOptional<IMeterFactory>(), proxied: null))
            .AsSelf()
            .As<ITagCacheProvider>()
            .SingleInstance();

        // The provider owns and disposes its caches.
        builder.Register(c => TagCacheComponents.DefaultCache(c.Resolve<ITagCacheProvider>())).As<ITagCache>().SingleInstance().ExternallyOwned();
        builder.Register(c => TagCacheComponents.Sweeper(c.Resolve<ITagCacheProvider>())).As<ICacheSweeper>().SingleInstance().ExternallyOwned();
        builder.Register(c => TagCacheComponents.CreateInterceptor(c.Resolve<ITagCacheProvider>(), c.ResolveOptional<ILoggerFactory>())).AsSelf().SingleInstance();
        builder.RegisterBuildCallback(CheckOnBuild);
        return builder;
    }

    /// <summary>
    /// Proxies the services this registration exposes (which must be interfaces) with the <see cref="TagCacheInterceptor"/>,
    /// so their <see cref="CacheWithTagsAttribute"/> and <see cref="InvalidateTagsAttribute"/> methods are honoured. Works for
    /// every kind of registration (type, instance, delegate, open generic, keyed); the entries of different registrations
    /// stay apart. Requires <see cref="AddTagCache"/>, which checks, when the container is built, every attribute the
    /// build can see: the interfaces' always, the implementation's where its type is known. The implementation of a
    /// delegate registration, and the type arguments of an open generic one, are checked at their first resolve.
    /// </summary>
    /// <typeparam name="TLimit">Registration limit type.</typeparam>
    /// <typeparam name="TActivatorData">Activator data type.</typeparam>
    /// <typeparam name="TRegistrationStyle">Registration style.</typeparam>
    /// <param name="registration">The registration to proxy.</param>
    /// <returns>The registration, for chaining.</returns>
    /// <remarks>
    /// A registration that can hold per-scope state (<c>InstancePerLifetimeScope</c>, <c>InstancePerRequest</c>, or
    /// <c>InstancePerDependency</c> with a dependency registered per scope) must say what its entries vary by, or that they
    /// are shared: use the overload that takes a <see cref="TagCacheScopeOptions"/>, or the cache's <c>options.Scope</c>.
    /// </remarks>
    public static IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> EnableTagCaching<TLimit, TActivatorData, TRegistrationStyle>(
        this IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> registration) =>
        EnableTagCaching(registration, declared: null);

    /// <summary>
    /// <see cref="EnableTagCaching{TLimit, TActivatorData, TRegistrationStyle}(IRegistrationBuilder{TLimit, TActivatorData, TRegistrationStyle})"/>,
    /// with what the entries of this registration vary by besides the arguments, read from the resolving lifetime scope at
    /// every call: <c>.EnableTagCaching(scope =&gt; scope.VaryBy((TenantContext t) =&gt; t.TenantId))</c>; or that they are the same
    /// in every scope: <c>.EnableTagCaching(scope =&gt; scope.SharedAcrossScopes())</c>. It replaces the caches' <c>options.Scope</c>.
    /// </summary>
    /// <typeparam name="TLimit">Registration limit type.</typeparam>
    /// <typeparam name="TActivatorData">Activator data type.</typeparam>
    /// <typeparam name="TRegistrationStyle">Registration style.</typeparam>
    /// <param name="registration">The registration to proxy.</param>
    /// <param name="scope">Declares what the entries vary by.</param>
    /// <returns>The registration, for chaining.</returns>
    public static IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> EnableTagCaching<TLimit, TActivatorData, TRegistrationStyle>(
        this IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> registration,
        Action<TagCacheScopeOptions> scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var declared = new TagCacheScopeOptions();
        scope(declared);
        return EnableTagCaching(registration, declared);
    }

    private static IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> EnableTagCaching<TLimit, TActivatorData, TRegistrationStyle>(
        IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> registration,
        TagCacheScopeOptions? declared)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.ConfigurePipeline(pipeline => pipeline.Use(new TagCachingMiddleware(declared), MiddlewareInsertionMode.StartOfPhase));
        registration.WithMetadata(ProxiedMetadataKey, true);

        // Open generic registrations never appear among the container's registrations, so every kind is listed for the
        // build check when Autofac adds it to the registry, once its services are all declared.
        if (registration.RegistrationData.DeferredCallback is { } deferred)
        {
            var register = deferred.Callback;
            deferred.Callback = registry =>
            {
                register(registry);
                ListForBuildCheck(registry.Properties, Describe(registration, declared));
            };
        }

        return registration;
    }

    private static ProxiedRegistration Describe<TLimit, TActivatorData, TRegistrationStyle>(IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> registration, TagCacheScopeOptions? declared)
    {
        var implementation = registration.ActivatorData switch
        {
            ReflectionActivatorData reflection => reflection.ImplementationType,
            SimpleActivatorData { Activator: ProvidedInstanceActivator instance } => instance.LimitType,
            _ => null,
        };
        Type[] services = [.. registration.RegistrationData.Services.OfType<IServiceWithType>().Select(s => s.ServiceType).Distinct()];
        return new ProxiedRegistration(implementation?.Name ?? typeof(TLimit).Name, services, implementation)
        {
            Lifetime = AutofacFacts.LifetimeOf(registration.RegistrationData.Lifetime, registration.RegistrationData.Sharing),
            Declared = declared,
            Declaration = scope => $".EnableTagCaching({scope})",
        };
    }

    private static void ListForBuildCheck(IDictionary<string, object?> properties, ProxiedRegistration registration)
    {
        if (!properties.TryGetValue(RegistrationsPropertyKey, out var listed) || listed is not List<ProxiedRegistration> registrations)
        {
            properties[RegistrationsPropertyKey] = registrations = [];
        }

        registrations.Add(registration);
    }

    private static void CheckOnBuild(ILifetimeScope container)
    {
        var registrations = container.ComponentRegistry.Properties.TryGetValue(RegistrationsPropertyKey, out var listed) && listed is List<ProxiedRegistration> list
            ? list
            : [];
        ConfigurationCheck.ThrowIfInvalid(
            container.Resolve<TagCacheOptions>(),
            registrations,
            container.ResolveOptional<ILoggerFactory>(),
            new ContainerCheck(new AutofacFacts(container.ComponentRegistry), service => $".EnableTagCaching() on the registration of {service.Name}"));
    }
}
