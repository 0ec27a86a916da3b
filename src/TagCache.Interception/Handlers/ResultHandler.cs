using Castle.DynamicProxy;
using TagCache.Interception.Planning;
using TagCache.Scopes;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

/// <summary>A synchronous method returning <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The method's return type.</typeparam>
internal sealed class ResultHandler<T> : ReturnHandler
{
    public override void Intercept(IInvocation invocation, MethodPlan plan, ProxyScope? scope)
    {
        var arguments = invocation.Arguments;
        T result;
        if (plan.Cache is not { } cache)
        {
            invocation.Proceed();
            result = (T)invocation.ReturnValue!;
        }
        else
        {
            var snapshot = cache.ScopeOf(scope);
            result = CacheLookup.TryHit(cache, plan.Name, arguments, snapshot, out T hit, out var key, out var miss) ? hit : new Miss(invocation, plan, cache, snapshot).Get(key, miss);
        }

        invocation.ReturnValue = result;
        if (plan.Invalidates)
        {
            Invalidation.Invalidate(plan, arguments, result, scope);
        }
    }

    /// <summary>One miss. The store runs the target on this thread, inside Intercept, so Proceed is still allowed.</summary>
    private sealed class Miss(IInvocation invocation, MethodPlan plan, CachePlan cache, ScopeSnapshot? scope)
    {
        private TargetState _state;
        private T _result = default!;

        /// <param name="key">The call's key.</param>
        /// <param name="miss">Why the lookup missed; counted as bypassed instead if the call falls back to running uncached.</param>
        public T Get(object key, Lookup miss)
        {
            var arguments = invocation.Arguments;
            try
            {
                return cache.GetOrSet(key, Run, cache.CreateOptions(arguments, unwrap: null, scope), cache.CallerToken(arguments));
            }
            catch (Exception exception)
            {
                switch (cache.Faults.Classify(exception, cache, _state))
                {
                    case MissOutcome.TargetFailed:
                        ((TargetFailure)exception).Rethrow();
                        break;
                    case MissOutcome.KeyClash:
                        throw ResultRules.NamingMethod((InvalidCastException)exception, plan.Name);
                    case MissOutcome.FallBack:
                        // The target runs at most once per call: its result is kept if it ran before the cache failed.
                        miss = Lookup.Bypassed;
                        return _state == TargetState.Succeeded ? _result : RunUncached();
                }

                throw;
            }
            finally
            {
                cache.Site?.Count(miss);
            }
        }

        private T Run(CancellationToken token)
        {
            cache.PassToken(invocation, token);
            _state = TargetState.Running;
            T result;
            try
            {
                result = RunUncached();
            }
            catch (Exception exception)
            {
                _state = TargetState.Failed;
                throw TargetFailure.Thrown(plan.Name, exception);
            }

            ResultRules.ThrowIfDeferred(result, plan.Name);
            _result = result;
            _state = TargetState.Succeeded;
            return result;
        }

        private T RunUncached()
        {
            invocation.Proceed();
            return (T)invocation.ReturnValue!;
        }
    }
}
