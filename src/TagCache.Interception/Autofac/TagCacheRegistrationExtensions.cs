using Autofac;
using Autofac.Builder;
using Autofac.Core.Resolving.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TagCache.Stores;

namespace TagCache.Interception;

/// <summary>Registers TagCache with Autofac and enables declarative caching on registrations.</summary>
public static class TagCacheRegistrationExtensions
{
    /// <summary>Marks registrations whose services <see cref="EnableTagCaching"/> proxies, so the build can check them.</summary>
    internal const string EnabledMetadataKey = "TagCache.Interception.EnableTagCaching";

    private const string OptionsPropertyKey = "TagCache.Interception.Options";

    /// <summary>
    /// Registers <see cref="TagCacheOptions"/>, <see cref="ITagCacheProvider"/> (disposed with the container), the default
    /// <see cref="ITagCache"/>, the <see cref="ICacheSweeper"/> for <see cref="TagCacheOptions.InvalidateOn{TEvent}"/>,
    /// <see cref="TimeProvider.System"/> unless a <see cref="TimeProvider"/> is registered, and the
    /// <see cref="TagCacheInterceptor"/>. When the container is built, every method of every service registered with
    /// <see cref="EnableTagCaching"/> is checked, and all problems are reported in one <see cref="TagCacheConfigurationException"/>.
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
        builder.Register(c => new TagCacheProvider(
                c.Resolve<TagCacheOptions>(),
                c.Resolve<TimeProvider>(),
                c.ResolveOptional<ILoggerFactory>() ?? NullLoggerFactory.Instance))
            .As<ITagCacheProvider>()
            .SingleInstance();

        // The provider owns and disposes its stores.
        builder.Register(c => c.Resolve<ITagCacheProvider>().GetCache(TagCacheOptions.DefaultCacheName))
            .As<ITagCache>()
            .SingleInstance()
            .ExternallyOwned();
        builder.Register(c => TagCacheFactory.GetSweeper(c.Resolve<ITagCacheProvider>()))
            .As<ICacheSweeper>()
            .SingleInstance()
            .ExternallyOwned();
        builder.Register(c => new TagCacheInterceptor(
                c.Resolve<ITagCacheProvider>(),
                (c.ResolveOptional<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger<TagCacheInterceptor>()))
            .AsSelf()
            .SingleInstance();
        builder.RegisterBuildCallback(TagCacheBuildCheck.Run);
        return builder;
    }

    /// <summary>
    /// Proxies the services this registration exposes (which must be interfaces) with the <see cref="TagCacheInterceptor"/>,
    /// so their <see cref="CacheWithTagsAttribute"/> and <see cref="InvalidateTagsAttribute"/> methods are honoured.
    /// Requires <see cref="AddTagCache"/>, which plans every method when the container is built.
    /// </summary>
    /// <typeparam name="TLimit">Registration limit type.</typeparam>
    /// <typeparam name="TActivatorData">Activator data type.</typeparam>
    /// <typeparam name="TRegistrationStyle">Registration style.</typeparam>
    /// <param name="registration">The registration to proxy.</param>
    /// <returns>The registration, for chaining.</returns>
    public static IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> EnableTagCaching<TLimit, TActivatorData, TRegistrationStyle>(
        this IRegistrationBuilder<TLimit, TActivatorData, TRegistrationStyle> registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.RegistrationData.Metadata[EnabledMetadataKey] = true;
        registration.ConfigurePipeline(pipeline => pipeline.Use(new TagCachingMiddleware(), MiddlewareInsertionMode.StartOfPhase));
        return registration;
    }
}
