using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>A <see langword="void"/> method: only invalidation applies, after the target returns without throwing.</summary>
internal sealed class VoidHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        invocation.Proceed();
        Invalidation.Invalidate(plan, invocation.Arguments, result: null);
    }
}
