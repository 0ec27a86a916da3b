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
            result = CacheLookup.TryHit(cache, arguments, out var hit, out var key) ? new ValueTask<T>((T)hit!) : Miss(invocation, plan, cache, key);
        }
        else
        {
            invocation.Proceed();
            result = (ValueTask<T>)invocation.ReturnValue!;
        }

        invocation.ReturnValue = plan.Invalidates ? InvalidateAfter(result, plan, invocation.Arguments) : result;
    }

    // A separate method, so the hit path does not allocate the closure the factory needs.
    private static ValueTask<T> Miss(IInvocation invocation, MethodPlan plan, CachePlan cache, string key)
    {
        var call = new TargetCall(invocation, invocation.CaptureProceedInfo(), cache.CancellationTokenIndex);
        var arguments = invocation.Arguments;
        ValueTask<T> pending;
        try
        {
            pending = cache.Cache.GetOrSetAsync(key, call.Run, cache.CreateOptions(arguments, unwrap: null), cache.CallerToken(arguments));
        }
        catch (Exception exception) when (StoreFaults.IsStoreFault(exception) && call.State != TargetState.Running)
        {
            return Fallback(exception, plan, cache, call);
        }

        return pending.IsCompletedSuccessfully ? pending : AwaitStored(pending, plan, cache, call);
    }

    private static ValueTask<T> Fallback(Exception exception, MethodPlan plan, CachePlan cache, TargetCall call)
    {
        cache.Faults.Log(exception, plan.Name);

        // The target runs at most once per call: its result is kept if it ran before the cache failed.
        return call.State == TargetState.Succeeded ? new ValueTask<T>(call.Result) : call.Start();
    }

    private static async ValueTask<T> AwaitStored(ValueTask<T> pending, MethodPlan plan, CachePlan cache, TargetCall call)
    {
        ValueTask<T> fallback;
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreFaults.IsStoreFault(exception) && call.State != TargetState.Running)
        {
            fallback = Fallback(exception, plan, cache, call);
        }

        return await fallback.ConfigureAwait(false);
    }

    private sealed class TargetCall(IInvocation invocation, IInvocationProceedInfo proceed, int tokenIndex)
    {
        public TargetState State { get; private set; }

        public T Result { get; private set; } = default!;

        public async ValueTask<T> Run(CancellationToken token)
        {
            if (tokenIndex >= 0)
            {
                // The shared computation is cancelled only when every waiting caller has left, not when the first caller does.
                invocation.SetArgumentValue(tokenIndex, token);
            }

            try
            {
                Result = await Start().ConfigureAwait(false);
            }
            catch (Exception exception) when (StoreFaults.MarkTargetException(exception))
            {
                // Never reached: the filter only marks the exception, which leaves here unchanged.
            }

            State = TargetState.Succeeded;
            return Result;
        }

        public ValueTask<T> Start()
        {
            State = TargetState.Running;
            proceed.Invoke();
            return (ValueTask<T>)invocation.ReturnValue!;
        }
    }

    private static async ValueTask<T> InvalidateAfter(ValueTask<T> task, MethodPlan plan, object?[] arguments)
    {
        var result = await task.ConfigureAwait(false);
        await Invalidation.InvalidateAsync(plan, arguments, result).ConfigureAwait(false);
        return result;
    }
}
