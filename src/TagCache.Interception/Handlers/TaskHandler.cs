using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="Task"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class TaskHandler : ReturnHandler<Task>
{
    // Proceeding before any await is allowed, and a target that throws before returning a task throws here too.
    public override Task Call(in TargetCall call, MethodPlan plan, ProxyScope? scope) =>
        Invalidation.After((Task)call.Proceed()!, plan, call.Arguments, scope);
}
