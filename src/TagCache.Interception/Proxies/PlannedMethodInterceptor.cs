using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Proxies;

/// <summary>
/// An interceptor bound to one method's plan. Proxies built by TagCache get one per method from <see cref="PlanSelector"/>,
/// so a call runs its plan without looking it up.
/// </summary>
internal sealed class PlannedMethodInterceptor(MethodPlan plan) : IInterceptor
{
    public void Intercept(IInvocation invocation) => plan.Handler!.Intercept(invocation, plan);
}
