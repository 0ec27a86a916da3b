using Castle.DynamicProxy;

namespace TagCache.Interception.Proxies;

/// <summary>Creates the interface proxies; one generator for the process, because it caches every proxy type it builds.</summary>
internal static class TagCacheProxies
{
    private static readonly ProxyGenerator Generator = new();

    private static readonly ProxyGenerationOptions Options = new() { Selector = PlanSelector.Instance };

    public static object Create(Type serviceType, Type[] additionalInterfaces, object target, TagCacheInterceptor interceptor) =>
        Generator.CreateInterfaceProxyWithTarget(serviceType, additionalInterfaces, target, Options, interceptor);
}
