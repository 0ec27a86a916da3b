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
            invocation.ReturnValue = CacheLookup.TryHit(cache, arguments, out var value, out var key) ? value : Miss(invocation, plan, cache, key);
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
    private static T Miss(IInvocation invocation, MethodPlan plan, CachePlan cache, string key)
    {
        var call = new TargetCall(invocation);
        try
        {
            return cache.Cache.GetOrSet(key, call.Run, cache.CreateOptions(invocation.Arguments, unwrap: null));
        }
        catch (Exception exception) when (StoreFaults.IsStoreFault(exception) && call.State != TargetState.Running)
        {
            cache.Faults.Log(exception, plan.Name);

            // The target runs at most once per call: its result is kept if it ran before the cache failed.
            return call.State == TargetState.Succeeded ? call.Result : call.Run();
        }
    }

    private sealed class TargetCall(IInvocation invocation)
    {
        public TargetState State { get; private set; }

        public T Result { get; private set; } = default!;

        public T Run()
        {
            State = TargetState.Running;
            try
            {
                invocation.Proceed();
            }
            catch (Exception exception) when (StoreFaults.MarkTargetException(exception))
            {
                // Never reached: the filter only marks the exception, which leaves here unchanged.
            }

            Result = (T)invocation.ReturnValue!;
            State = TargetState.Succeeded;
            return Result;
        }
    }
}
