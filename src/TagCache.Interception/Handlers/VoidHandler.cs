using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see langword="void"/> method: only invalidation applies, after the target returns without throwing.</summary>
internal sealed class VoidHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope)
    {
        invocation.Proceed();
        Invalidation.Invalidate(plan, invocation.Arguments, result: null, scope);
    }
}
