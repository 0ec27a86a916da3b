using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="Task"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class TaskHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope)
    {
        // Proceeding before any await is allowed, and a target that throws before returning a task throws here too.
        invocation.Proceed();
        invocation.ReturnValue = Invalidation.After((Task)invocation.ReturnValue!, plan, invocation.Arguments, scope);
    }
}
