using Autofac;
using Autofac.Core;
using Autofac.Core.Resolving.Pipeline;
using TagCache.Interception.Proxies;

namespace TagCache.Interception;

/// <summary>Wraps each newly activated instance in an interface proxy, as Autofac.Extras.DynamicProxy does.</summary>
internal sealed class TagCachingMiddleware : IResolveMiddleware
{
    // Services of a registration never change; the last registration seen is remembered to skip recomputing them.
    private ProxiedServices? _last;

    public PipelinePhase Phase => PipelinePhase.Activation;

    public void Execute(ResolveRequestContext context, Action<ResolveRequestContext> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        next(context);

        var services = _last is { } last && ReferenceEquals(last.Registration, context.Registration)
            ? last
            : _last = ProxiedServices.Of(context.Registration);
        if (services.Primary is null)
        {
            return;
        }

        context.Instance = TagCacheProxies.Create(services.Primary, services.Additional, context.Instance!, Interceptor(context));
    }

    private static TagCacheInterceptor Interceptor(ResolveRequestContext context) =>
        context.ResolveOptional<TagCacheInterceptor>()
        ?? throw new InvalidOperationException(
            $"{context.Registration.Activator.LimitType.Name} uses EnableTagCaching(), but TagCache is not registered. Call builder.AddTagCache() on the ContainerBuilder.");

    private sealed record ProxiedServices(IComponentRegistration Registration, Type? Primary, Type[] Additional)
    {
        public static ProxiedServices Of(IComponentRegistration registration)
        {
            Type[] interfaces = [.. registration.Services.OfType<IServiceWithType>().Select(s => s.ServiceType).Where(t => t.IsInterface).Distinct()];
            return interfaces.Length == 0
                ? new ProxiedServices(registration, null, [])
                : new ProxiedServices(registration, interfaces[0], interfaces[1..]);
        }
    }
}
