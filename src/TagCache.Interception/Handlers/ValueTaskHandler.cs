using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="ValueTask"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class ValueTaskHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope)
    {
        invocation.Proceed();
        invocation.ReturnValue = new ValueTask(Invalidation.After(((ValueTask)invocation.ReturnValue!).AsTask(), plan, invocation.Arguments, scope));
    }
}
