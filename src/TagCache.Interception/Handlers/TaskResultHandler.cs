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
            result = CacheLookup.TryHit(cache, arguments, out var hit, out var key) ? (Task<T>)hit! : Miss(invocation, plan, cache, key);
        }
        else
        {
            invocation.Proceed();
            result = (Task<T>)invocation.ReturnValue!;
        }

        // Set before Intercept returns (Castle's rule); nothing above awaited.
        invocation.ReturnValue = plan.Invalidates ? InvalidateAfter(result, plan, invocation.Arguments) : result;
    }

    private static Task<T> Miss(IInvocation invocation, MethodPlan plan, CachePlan cache, string key)
    {
        // The factory may run after Intercept has returned (e.g. after waiting for another flight), when Proceed no longer works.
        var call = new TargetCall(invocation, invocation.CaptureProceedInfo(), cache.CancellationTokenIndex);
        var arguments = invocation.Arguments;
        ValueTask<Task<T>> pending;
        try
        {
            pending = cache.Cache.GetOrSetAsync(key, call.Run, cache.CreateOptions(arguments, CompletedResult), cache.CallerToken(arguments));
        }
        catch (Exception exception) when (StoreFaults.IsStoreFault(exception) && call.State != TargetState.Running)
        {
            return Fallback(exception, plan, cache, call);
        }

        return pending.IsCompletedSuccessfully ? pending.Result : AwaitStored(pending, plan, cache, call);
    }

    private static Task<T> Fallback(Exception exception, MethodPlan plan, CachePlan cache, TargetCall call)
    {
        cache.Faults.Log(exception, plan.Name);

        // The target runs at most once per call: its result is kept if it ran before the cache failed.
        return call.State == TargetState.Succeeded ? call.Result : call.Start();
    }

    private static async Task<T> AwaitStored(ValueTask<Task<T>> pending, MethodPlan plan, CachePlan cache, TargetCall call)
    {
        Task<T> task;
        try
        {
            task = await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreFaults.IsStoreFault(exception) && call.State != TargetState.Running)
        {
            task = Fallback(exception, plan, cache, call);
        }

        return await task.ConfigureAwait(false);
    }

    private sealed class TargetCall(IInvocation invocation, IInvocationProceedInfo proceed, int tokenIndex)
    {
        public TargetState State { get; private set; }

        public Task<T> Result { get; private set; } = null!;

        public async ValueTask<Task<T>> Run(CancellationToken token)
        {
            if (tokenIndex >= 0)
            {
                // The shared computation is cancelled only when every waiting caller has left, not when the first caller does.
                invocation.SetArgumentValue(tokenIndex, token);
            }

            Task<T> task = null!;
            try
            {
                task = Start();
                await task.ConfigureAwait(false);
            }
            catch (Exception exception) when (StoreFaults.MarkTargetException(exception))
            {
                // Never reached: the filter only marks the exception, which leaves here unchanged.
            }

            Result = task;
            State = TargetState.Succeeded;
            return task;
        }

        public Task<T> Start()
        {
            State = TargetState.Running;
            proceed.Invoke();
            return (Task<T>)invocation.ReturnValue!;
        }
    }

    private static async Task<T> InvalidateAfter(Task<T> task, MethodPlan plan, object?[] arguments)
    {
        var result = await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result).ConfigureAwait(false);
        return result;
    }
}
