using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Proxies;

/// <summary>
/// A <see cref="TagCacheInterceptor"/> bound to one method's plan. Proxies built by TagCache get one per method from
/// <see cref="PlanSelector"/>, so a call runs its plan without looking it up (about 15 ns of a hit, measured).
/// </summary>
internal sealed class PlannedMethodInterceptor(MethodPlan plan) : IInterceptor
{
    public void Intercept(IInvocation invocation) => plan.Handler!.Intercept(invocation, plan);
}
