using Castle.DynamicProxy;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>
/// A method returning <see cref="Task{TResult}"/>. The completed task itself is what the cache stores, so a hit hands
/// back that same task instance and allocates nothing.
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
internal sealed class TaskResultHandler<T> : ReturnHandler
{
    // The store calls this only with a task the factory has already awaited to success, so reading it never blocks.
    private static readonly Func<object?, object?> CompletedResult = static stored => ((Task<T>)stored!).Result;

    public override void Intercept(IInvocation invocation, MethodPlan plan)
    {
        Task<T> result;
        if (plan.Cache is { } cache)
        {
            var arguments = invocation.Arguments;
            result = CacheLookup.TryHit(cache, arguments, out var hit, out var key) ? (Task<T>)hit! : Miss(invocation, cache, key);
        }
        else
        {
            invocation.Proceed();
            result = (Task<T>)invocation.ReturnValue!;
        }

        // Set before Intercept returns (Castle's rule); nothing above awaited.
        invocation.ReturnValue = plan.Invalidates ? InvalidateAfter(result, plan, invocation.Arguments) : result;
    }

    private static Task<T> Miss(IInvocation invocation, CachePlan cache, string key)
    {
        // The factory may run after Intercept has returned (e.g. after waiting for another flight), when Proceed no longer works.
        var proceed = invocation.CaptureProceedInfo();
        var arguments = invocation.Arguments;
        var pending = cache.Cache.GetOrSetAsync(
            key,
            token => RunTarget(invocation, proceed, cache.CancellationTokenIndex, token),
            cache.CreateOptions(arguments, CompletedResult),
            cache.CallerToken(arguments));
        return pending.IsCompletedSuccessfully ? pending.Result : AwaitStored(pending);
    }

    private static async ValueTask<Task<T>> RunTarget(IInvocation invocation, IInvocationProceedInfo proceed, int tokenIndex, CancellationToken token)
    {
        if (tokenIndex >= 0)
        {
            // The shared computation is cancelled only when every waiting caller has left, not when the first caller does.
            invocation.SetArgumentValue(tokenIndex, token);
        }

        proceed.Invoke();
        var task = (Task<T>)invocation.ReturnValue!;
        await task.ConfigureAwait(false);
        return task;
    }

    private static async Task<T> AwaitStored(ValueTask<Task<T>> pending)
    {
        var task = await pending.ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private static async Task<T> InvalidateAfter(Task<T> task, MethodPlan plan, object?[] arguments)
    {
        var result = await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result).ConfigureAwait(false);
        return result;
    }
}
