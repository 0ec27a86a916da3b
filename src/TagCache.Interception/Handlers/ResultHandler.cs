using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>A synchronous method returning <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The method's return type.</typeparam>
internal sealed class ResultHandler<T> : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        if (plan.Cache is { } cache)
        {
            var arguments = invocation.Arguments;
            invocation.ReturnValue = CacheLookup.TryHit(cache, arguments, out var value, out var key) ? value : Miss(invocation, cache, key);
        }
        else
        {
            invocation.Proceed();
        }

        if (plan.Invalidates)
        {
            Invalidation.Invalidate(plan, invocation.Arguments, invocation.ReturnValue);
        }
    }

    // A separate method, so the hit path does not allocate the closure the factory needs. GetOrSet runs the factory on
    // this thread, inside Intercept, so Proceed is still allowed.
    private static T Miss(IInvocation invocation, CachePlan cache, string key) =>
        cache.Cache.GetOrSet(key, () => Proceed(invocation), cache.CreateOptions(invocation.Arguments, unwrap: null));

    private static T Proceed(IInvocation invocation)
    {
        invocation.Proceed();
        return (T)invocation.ReturnValue!;
    }
}
