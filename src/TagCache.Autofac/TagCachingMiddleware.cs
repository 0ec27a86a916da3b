using System.Collections.Concurrent;
using Autofac;
using Autofac.Core;
using Autofac.Core.Resolving.Pipeline;
using TagCache;
using TagCache.Interception;
using TagCache.Interception.Proxies;

namespace TagCache.AutofacIntegration;

/// <summary>Wraps each newly activated instance in an interface proxy, as Autofac.Extras.DynamicProxy does.</summary>
/// <param name="declared">What the registration declared its entries vary by, if anything.</param>
internal sealed class TagCachingMiddleware(TagCacheScopeOptions? declared) : IResolveMiddleware
{
    // One middleware serves its registration (and, for an open generic, each closed registration made from it).
    private readonly ConcurrentDictionary<IComponentRegistration, ProxiedServices> _services = new();

    public PipelinePhase Phase => PipelinePhase.Activation;

    public void Execute(ResolveRequestContext context, Action<ResolveRequestContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        next(context);

        var registration = context.Registration;
        var services = _services.TryGetValue(registration, out var known) ? known : _services.GetOrAdd(registration, ProxiedServices.Of);
        if (services.Primary is null)
        {
            return;
        }

        var interceptor = Interceptor(context).ForRegistration(registration, services.Keys, declared);

        // The scope that activates the instance is the one its per-scope state comes from.
        var scope = context.ActivationScope;
        context.Instance = TagCacheProxies.Create(services.Primary, services.Additional, context.Instance!, interceptor, scope.Resolve);
    }

    private static TagCacheInterceptor Interceptor(ResolveRequestContext context) =>
        context.ResolveOptional<TagCacheInterceptor>()
        ?? throw new InvalidOperationException(
            $"{context.Registration.Activator.LimitType.Name} uses EnableTagCaching(), but TagCache is not registered. Call builder.AddTagCache() on the ContainerBuilder.");

    private sealed record ProxiedServices(Type? Primary, Type[] Additional, object[] Keys)
    {
        public static ProxiedServices Of(IComponentRegistration registration)
        {
            Type[] interfaces = [.. registration.Services.OfType<IServiceWithType>().Select(s => s.ServiceType).Where(t => t.IsInterface).Distinct()];
            object[] keys = [.. registration.Services.OfType<KeyedService>().Select(s => s.ServiceKey).Distinct()];
            return interfaces.Length == 0
                ? new ProxiedServices(null, [], keys)
                : new ProxiedServices(interfaces[0], interfaces[1..], keys);
        }
    }
}
