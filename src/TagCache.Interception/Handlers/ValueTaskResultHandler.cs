using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>A method returning <see cref="ValueTask{TResult}"/>; the cache stores the result, and a hit wraps it without allocating a task.</summary>
/// <typeparam name="T">The task's result type.</typeparam>
internal sealed class ValueTaskResultHandler<T> : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        ValueTask<T> result;
        if (plan.Cache is { } cache)
        {
            var arguments = invocation.Arguments;
            result = CacheLookup.TryHit(cache, arguments, out var hit, out var key) ? new ValueTask<T>((T)hit!) : Miss(invocation, cache, key);
        }
        else
        {
            invocation.Proceed();
            result = (ValueTask<T>)invocation.ReturnValue!;
        }

        invocation.ReturnValue = plan.Invalidates ? InvalidateAfter(result, plan, invocation.Arguments) : result;
    }

    // A separate method, so the hit path does not allocate the closure the factory needs.
    private static ValueTask<T> Miss(IInvocation invocation, CachePlan cache, string key)
    {
        var proceed = invocation.CaptureProceedInfo();
        var arguments = invocation.Arguments;
        return cache.Cache.GetOrSetAsync(
            key,
            token => RunTarget(invocation, proceed, cache.CancellationTokenIndex, token),
            cache.CreateOptions(arguments, unwrap: null),
            cache.CallerToken(arguments));
    }

    private static ValueTask<T> RunTarget(IInvocation invocation, IInvocationProceedInfo proceed, int tokenIndex, CancellationToken token)
    {
        if (tokenIndex >= 0)
        {
            // The shared computation is cancelled only when every waiting caller has left, not when the first caller does.
            invocation.SetArgumentValue(tokenIndex, token);
        }

        proceed.Invoke();
        return (ValueTask<T>)invocation.ReturnValue!;
    }

    private static async ValueTask<T> InvalidateAfter(ValueTask<T> task, MethodPlan plan, object?[] arguments)
    {
        var result = await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result).ConfigureAwait(false);
        return result;
    }
}
