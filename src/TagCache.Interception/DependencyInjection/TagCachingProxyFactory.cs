using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception.Proxies;

namespace TagCache.Interception;

/// <summary>Creates the original registration's instance and wraps it in a caching proxy.</summary>
internal sealed class TagCachingProxyFactory
{
    private readonly Type _serviceType;
    private readonly Func<IServiceProvider, object> _createTarget;
    private readonly bool _ownsTarget;

    public TagCachingProxyFactory(Type serviceType, ServiceDescriptor original)
    {
        _serviceType = serviceType;
        if (original.ImplementationInstance is { } instance)
        {
            _createTarget = _ => instance;
        }
        else if (original.ImplementationType is { } type)
        {
            var factory = ActivatorUtilities.CreateFactory(type, Type.EmptyTypes);
            _createTarget = sp => factory(sp, arguments: null);
            _ownsTarget = true;
        }
        else
        {
            _createTarget = original.ImplementationFactory!;
            _ownsTarget = true;
        }
    }

    /// <summary>Gets the implementation type known at registration (null for a factory), whose method attributes count too.</summary>
    public static Type? TargetTypeOf(ServiceDescriptor descriptor) =>
        descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType();

    public object Create(IServiceProvider services)
    {
        var target = _createTarget(services);
        return TagCacheProxies.Create(_serviceType, DisposalInterfaces(target), target, services.GetRequiredService<TagCacheInterceptor>());
    }

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
