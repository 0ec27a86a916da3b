using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see cref="ValueTask"/> method: invalidates once the target's task has completed successfully.</summary>
internal sealed class ValueTaskHandler : ReturnHandler<ValueTask>
{
    public override ValueTask Call(in TargetCall call, MethodPlan plan, ProxyScope? scope) =>
        new(Invalidation.After(((ValueTask)call.Proceed()!).AsTask(), plan, call.Arguments, scope));
}
