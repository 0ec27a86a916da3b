using Castle.DynamicProxy;
using TagCache.Scopes;

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
    /// misconfiguration the container build could not see fails here, at the first resolve, not at a call. When the
    /// registration's keys vary by state of the caller's scope, the proxy carries the scope it was resolved in.
    /// </summary>
    /// <param name="serviceType">The service interface.</param>
    /// <param name="additionalInterfaces">Further interfaces the proxy implements.</param>
    /// <param name="target">The instance the container made.</param>
    /// <param name="interceptor">The registration's interceptor.</param>
    /// <param name="resolveFromScope">Resolves a service from the scope the instance was resolved in.</param>
    public static object Create(Type serviceType, Type[] additionalInterfaces, object target, RegistrationInterceptor interceptor, Func<Type, object> resolveFromScope)
    {
        interceptor.Prepare(additionalInterfaces.Prepend(serviceType), target.GetType());
        IInterceptor bound = interceptor.NeedsScope ? new ScopedInterceptor(interceptor, new ProxyScope(resolveFromScope)) : interceptor;
        return Generator.CreateInterfaceProxyWithTarget(serviceType, additionalInterfaces, target, Options, bound);
    }
}
