using Castle.DynamicProxy;

namespace TagCache.Interception.Proxies;

/// <summary>
/// Creates the interface proxies. One generator for the process, because it caches every proxy type it builds (types are
/// not container state); the options hold only the stateless <see cref="PlanSelector"/>.
/// </summary>
internal static class TagCacheProxies
{
    private static readonly ProxyGenerator Generator = new();

    private static readonly ProxyGenerationOptions Options = new() { Selector = PlanSelector.Instance };

    /// <summary>
    /// Wraps <paramref name="target"/>; every method of the proxied services is planned for the target's type first, so a
    /// misconfiguration the container build could not see fails here, at the first resolve, not at a call.
    /// </summary>
    public static object Create(Type serviceType, Type[] additionalInterfaces, object target, RegistrationInterceptor interceptor)
    {
        interceptor.Prepare(additionalInterfaces.Prepend(serviceType), target.GetType());
        return Generator.CreateInterfaceProxyWithTarget(serviceType, additionalInterfaces, target, Options, interceptor);
    }
}
