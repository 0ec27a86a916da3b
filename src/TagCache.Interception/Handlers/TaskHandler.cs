using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="Task"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class TaskHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        // Proceeding before any await is allowed; the return value is replaced before Intercept returns.
        invocation.Proceed();
        invocation.ReturnValue = InvalidateAfter((Task)invocation.ReturnValue!, plan, invocation.Arguments);
    }

    private static async Task InvalidateAfter(Task task, MethodPlan plan, object?[] arguments)
    {
        await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result: null).ConfigureAwait(false);
    }
}
