using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A <see langword="void"/> method: only invalidation applies, after the target returns without throwing.</summary>
internal sealed class VoidHandler : ReturnHandler<object?>
{
    public override object? Call(in TargetCall call, MethodPlan plan, ProxyScope? scope)
    {
        call.Proceed();
        Invalidation.Invalidate(plan, call.Arguments, result: null, scope);
        return null;
    }
}
