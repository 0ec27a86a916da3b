using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="ValueTask"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class ValueTaskHandler : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        invocation.Proceed();
        invocation.ReturnValue = InvalidateAfter((ValueTask)invocation.ReturnValue!, plan, invocation.Arguments);
    }

    private static async ValueTask InvalidateAfter(ValueTask task, MethodPlan plan, object?[] arguments)
    {
        await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result: null).ConfigureAwait(false);
    }
}
