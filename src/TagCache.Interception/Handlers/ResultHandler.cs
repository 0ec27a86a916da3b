using TagCache.Interception.Planning;
using TagCache.Scopes;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

/// <summary>A synchronous method returning <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The method's return type.</typeparam>
internal sealed class ResultHandler<T> : ReturnHandler<T>
{
    public override T Call(in TargetCall call, MethodPlan plan, ProxyScope? scope)
    {
        var arguments = call.Arguments;
        T result;
        if (plan.Cache is not { } cache)
        {
            result = (T)call.Proceed()!;
        }
        else
        {
            var snapshot = cache.ScopeOf(scope);
            if (CacheLookup.TryHit(cache, plan.Name, arguments, snapshot, out T hit, out var key, out var miss))
            {
                if (miss == Lookup.RefreshDue)
                {
                    new Miss(call, plan, cache, snapshot).Refresh(key!);
                }

                result = hit;
            }
            else
            {
                result = new Miss(call, plan, cache, snapshot).Get(key, miss);
            }
        }

        if (plan.Invalidates)
        {
            Invalidation.Invalidate(plan, arguments, result, scope);
        }

        return result;
    }

    /// <summary>
    /// One miss. The store runs the target on this thread, inside the call, so Castle's Proceed is still allowed; under
    /// timeouts it runs on the thread pool, where the target is called directly (<see cref="TargetInvoker"/>), as for a refresh.
    /// </summary>
    private sealed class Miss(TargetCall call, MethodPlan plan, CachePlan cache, ScopeSnapshot? scope)
    {
        private TargetState _state;
        private T _result = default!;

        /// <param name="key">The call's key.</param>
        /// <param name="miss">Why the lookup missed; counted as bypassed instead if the call falls back to running uncached.</param>
        public T Get(object key, Lookup miss)
        {
            var arguments = call.Arguments;
            TagCacheEntryOptions? options = null;
            try
            {
                options = cache.CreateOptions(arguments, unwrap: null, scope);
                return cache.GetOrSet(key, cache.RunsDetached ? Detached(call.Detached(cache.Invoker)) : Run, options, cache.CallerToken(arguments));
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
                cache.Site?.Count(miss, options?.Served, options?.FromSecondLevel ?? false);
            }
        }

        /// <summary>Starts the background refresh of a hit its cache found due, with a copy of this call's arguments.</summary>
        public void Refresh(object key) =>
            cache.Refresh(key, cache.CreateOptions(call.Arguments, unwrap: null, scope), Detached(call.Detached(cache.Invoker)));

        /// <summary>The target called directly, off the intercepted call, with its failure told apart from the cache's.</summary>
        private Func<CancellationToken, T> Detached(Func<CancellationToken, object?> call) => token => Run(() => (T)call(token)!);

        private T Run(CancellationToken token)
        {
            cache.PassToken(call, token);
            return Run(RunUncached);
        }

        /// <summary>Runs the target once, recording whether it ran, and tells its failure apart from the cache's.</summary>
        private T Run(Func<T> target)
        {
            _state = TargetState.Running;
            T result;
            try
            {
                result = target();
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

        private T RunUncached() => (T)call.Proceed()!;
    }
}
