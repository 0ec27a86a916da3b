using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception;
using TagCache.Interception.Generated;
using TagCache.Interception.Proxies;

namespace TagCache.DependencyInjection;

/// <summary>
/// Creates the original registration's instance and wraps it: in the decorator TagCache's source generator wrote for the
/// service, when the calling project has one and the options allow it, or else in a Castle proxy. It stands for that
/// registration.
/// </summary>
internal sealed class TagCachingProxyFactory
{
    private readonly GeneratedDecorator? _decorator;
    private readonly Type _serviceType;
    private readonly ServiceDescriptor _original;
    private readonly Func<IServiceProvider, object?, object> _createTarget;
    private readonly bool _ownsTarget;
    private readonly object[] _keys;
    private readonly TagCacheScopeOptions? _declared;

    public TagCachingProxyFactory(Type serviceType, ServiceDescriptor original, TagCacheScopeOptions? declared = null, GeneratedDecorator? decorator = null)
    {
        _decorator = decorator;
        _serviceType = serviceType;
        _declared = declared;
        _original = original;
        _keys = original.IsKeyedService && original.ServiceKey is { } key ? [key] : [];
        if ((original.IsKeyedService ? original.KeyedImplementationInstance : original.ImplementationInstance) is { } instance)
        {
            _createTarget = (_, _) => instance;
        }
        else if ((original.IsKeyedService ? original.KeyedImplementationType : original.ImplementationType) is { } type)
        {
            var factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
            _createTarget = (sp, _) => factory(sp, arguments: null);
            _ownsTarget = true;
        }
        else if (original.IsKeyedService)
        {
            var keyed = original.KeyedImplementationFactory!;
            _createTarget = keyed;
            _ownsTarget = true;
        }
        else
        {
            var plain = original.ImplementationFactory!;
            _createTarget = (sp, _) => plain(sp);
            _ownsTarget = true;
        }
    }

    /// <summary>Gets the implementation type known at registration (null for a factory), whose method attributes count too.</summary>
    public static Type? TargetTypeOf(ServiceDescriptor descriptor) =>
        descriptor.IsKeyedService
            ? descriptor.KeyedImplementationType ?? descriptor.KeyedImplementationInstance?.GetType()
            : descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType();

    /// <summary>Gets a value indicating whether the descriptor is already a caching proxy's.</summary>
    public static bool IsProxying(ServiceDescriptor descriptor) =>
        (descriptor.IsKeyedService ? descriptor.KeyedImplementationFactory?.Target : descriptor.ImplementationFactory?.Target) is TagCachingProxyFactory;

    /// <summary>The descriptor that replaces the original: same service, key and lifetime.</summary>
    public ServiceDescriptor Describe() =>
        _original.IsKeyedService
            ? ServiceDescriptor.DescribeKeyed(_serviceType, _original.ServiceKey, Create, _original.Lifetime)
            : ServiceDescriptor.Describe(_serviceType, sp => Create(sp, serviceKey: null), _original.Lifetime);

    private object Create(IServiceProvider services, object? serviceKey)
    {
        var target = _createTarget(services, serviceKey);
        var interceptor = services.GetRequiredService<TagCacheInterceptor>().ForRegistration(this, _keys, _declared);

        // The provider that creates the instance is the caller's scope (the root for a singleton): per-scope state comes from it.
        if (UseDecorator(services) is { } decorator)
        {
            return decorator.Create(target, interceptor.ContextFor(decorator, target.GetType(), services.GetRequiredService, _ownsTarget));
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            throw new InvalidOperationException(
                $"{_serviceType.Name} has no generated decorator, and this application cannot make Castle proxies (it runs without dynamic code, e.g. Native AOT). "
                + $"Reference TagCache.Core's package (its source generator writes the decorator) from the project that calls AddTagCaching<{_serviceType.Name}>(), "
                + "and keep TagCacheOptions.UseGeneratedDecorators true.");
        }

        return TagCacheProxies.Create(_serviceType, DisposalInterfaces(target), target, interceptor, services.GetRequiredService);
    }

    /// <summary>
    /// The generated decorator, unless there is none or this container's options turn decorators off. Read from the
    /// container on each resolve: this factory belongs to the service collection, which may build several containers.
    /// </summary>
    private GeneratedDecorator? UseDecorator(IServiceProvider services) =>
        _decorator is not null && services.GetRequiredService<TagCacheOptions>().UseGeneratedDecorators ? _decorator : null;

    /// <summary>
    /// The container disposes what it creates by checking the object it hands out: the proxy. A target it created must
    /// stay disposable through the proxy; an instance the caller registered must not become so.
    /// </summary>
    private Type[] DisposalInterfaces(object target)
    {
        if (!_ownsTarget)
        {
            return Type.EmptyTypes;
        }

        var disposable = target is IDisposable && !typeof(IDisposable).IsAssignableFrom(_serviceType);
        var asyncDisposable = target is IAsyncDisposable && !typeof(IAsyncDisposable).IsAssignableFrom(_serviceType);
        return (disposable, asyncDisposable) switch
        {
            (true, true) => [typeof(IDisposable), typeof(IAsyncDisposable)],
            (true, false) => [typeof(IDisposable)],
            (false, true) => [typeof(IAsyncDisposable)],
            _ => Type.EmptyTypes,
        };
    }
}
