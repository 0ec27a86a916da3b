using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Proxies;

/// <summary>
/// An interceptor bound to one method's plan (and, for a proxy whose keys vary by its scope, to that proxy's scope).
/// Proxies built by TagCache get one per method from <see cref="PlanSelector"/>, so a call runs its plan without looking
/// it up.
/// </summary>
internal sealed class PlannedMethodInterceptor(MethodPlan plan, ProxyScope? scope = null) : IInterceptor
{
    public void Intercept(IInvocation invocation) => plan.Handler!.Intercept(invocation, plan, scope);
}
