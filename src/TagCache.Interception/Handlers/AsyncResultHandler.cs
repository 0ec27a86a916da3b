using System.Runtime.ExceptionServices;
using TagCache.Interception.Planning;
using TagCache.Scopes;
using TagCache.Stores;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

/// <summary>
/// A method returning a task of <typeparamref name="T"/>: one pipeline for <see cref="Task{TResult}"/> and
/// <see cref="ValueTask{TResult}"/>, adapted by what the cache keeps (<typeparamref name="TStored"/>) and how a task
/// becomes the method's return value (<typeparamref name="TReturn"/>).
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
/// <typeparam name="TStored">What the cache stores for one call.</typeparam>
/// <typeparam name="TReturn">The method's return type.</typeparam>
internal abstract class AsyncResultHandler<T, TStored, TReturn> : ReturnHandler<TReturn>
{
    public sealed override TReturn Call(in TargetCall call, MethodPlan plan, ProxyScope? scope)
    {
        var arguments = call.Arguments;
        TReturn result;
        ScopeSnapshot? snapshot = null;
        if (plan.Cache is not { } cache)
        {
            result = (TReturn)call.Proceed()!;
        }
        else if (CacheLookup.TryHit(cache, plan.Name, arguments, snapshot = cache.ScopeOf(scope), shareable: true, out TStored hit, out var key, out var miss, out Task<T>? shared))
        {
            if (miss == Lookup.RefreshDue)
            {
                new Miss(this, call, plan, cache, miss, snapshot).Refresh(key!);
            }

            result = FromStored(hit);
        }
        else if (shared is not null)
        {
            // Another caller like this one joined the running computation first: its answer is this call's answer too.
            cache.Site?.Count(miss);
            cache.Site?.Joined();
            result = FromTask(shared);
        }
        else
        {
            result = new Miss(this, call, plan, cache, miss, snapshot).Get(key!);
        }

        // Nothing above awaited: Castle's return value is set before its Intercept returns.
        return plan.Invalidates ? InvalidateAfter(result, plan, arguments, scope) : result;
    }

    /// <summary>The return value for a stored value (a hit): allocates nothing for <see cref="Task{TResult}"/>.</summary>
    protected abstract TReturn FromStored(TStored stored);

    /// <summary>The return value for a task holding the call's outcome.</summary>
    protected abstract TReturn FromTask(Task<T> task);

    /// <summary>The target's return value as a task.</summary>
    protected abstract Task<T> AsTask(object returnValue);

    /// <summary>What the cache keeps of a task that completed successfully.</summary>
    protected abstract TStored ToStored(Task<T> completed);

    /// <summary>A stored value as a completed task.</summary>
    protected abstract Task<T> StoredAsTask(TStored stored);

    /// <summary>The method's result in a stored value, for tags over the result.</summary>
    protected abstract T ResultOf(TStored stored);

    protected abstract TReturn InvalidateAfter(TReturn result, MethodPlan plan, object?[] arguments, ProxyScope? scope);

    /// <summary>
    /// One miss. The factory may run after the call has returned (after waiting for another flight), when Castle's Proceed
    /// no longer works, hence the captured call.
    /// </summary>
    /// <param name="shape">How the method's return type wraps the value.</param>
    /// <param name="call">The call.</param>
    /// <param name="plan">The method's plan.</param>
    /// <param name="cache">The method's cache plan.</param>
    /// <param name="miss">Why the lookup missed; counted as bypassed instead if the call falls back to running uncached.</param>
    /// <param name="scope">The caller's scope values the key varies by, if it does.</param>
    private sealed class Miss(AsyncResultHandler<T, TStored, TReturn> shape, TargetCall call, MethodPlan plan, CachePlan cache, Lookup miss, ScopeSnapshot? scope)
    {
        private readonly TargetCall _call = call.Captured();
        private readonly int _interceptingThread = Environment.CurrentManagedThreadId;
        private volatile bool _intercepting;
        private TargetState _state;
        private Task<T>? _result;
        private ExceptionDispatchInfo? _thrownWhileIntercepting;
        private TagCacheEntryOptions? _options;

        public TReturn Get(object key)
        {
            var arguments = _call.Arguments;
            ValueTask<TStored> pending;
            Flight? joined = null;
            _intercepting = true;
            try
            {
                _options = cache.CreateOptions(arguments, cache.HasResultTags ? Unwrap : null, scope);
                pending = cache.GetOrSetAsync(key, Run, _options, cache.CallerToken(arguments), out joined);
            }
            catch (Exception exception)
            {
                pending = ValueTask.FromException<TStored>(exception);
            }
            finally
            {
                _intercepting = false;
            }

            if (_thrownWhileIntercepting is { } thrown && !pending.IsCompletedSuccessfully)
            {
                // The target threw before returning a task, on this thread, and no fallback answered: so does the proxy, as
                // it would uncached.
                Observe(pending);
                CountRead();
                thrown.Throw();
            }

            if (pending.IsCompletedSuccessfully)
            {
                CountRead();
                return shape.FromStored(pending.Result);
            }

            var answer = Complete(pending).Unwrap();

            // Later callers like this one (no computation around, nothing to cancel) share this answer instead of their own.
            joined?.Share(answer);
            return shape.FromTask(answer);
        }

        private void CountRead() => cache.Site?.Count(miss, _options?.Served, _options?.FromSecondLevel ?? false);

        /// <summary>Starts the background refresh of a hit its cache found due, with a copy of this call's arguments.</summary>
        public void Refresh(object key)
        {
            var detached = _call.Detached(cache.Invoker);
            cache.Refresh(key, cache.CreateOptions(_call.Arguments, cache.HasResultTags ? Unwrap : null, scope), token => Completed(shape.AsTask(detached(token)!)));
        }

        private static void Observe(ValueTask<TStored> pending)
        {
            if (!pending.IsCompletedSuccessfully)
            {
                pending.AsTask().ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }

        private object? Unwrap(object? stored) => stored is TStored typed ? shape.ResultOf(typed) : stored;

        /// <summary>The call's outcome as a task: the stored value, the target's own task if it failed, or the fallback.</summary>
        private async Task<Task<T>> Complete(ValueTask<TStored> pending)
        {
            try
            {
                return shape.StoredAsTask(await pending.ConfigureAwait(false));
            }
            catch (Exception exception)
            {
                switch (cache.Faults.Classify(exception, cache, _state))
                {
                    case MissOutcome.TargetFailed:
                        // The target's own task: every exception it faulted with, or its cancellation.
                        return ((TargetFailure)exception).AsTask<T>();
                    case MissOutcome.KeyClash:
                        throw ResultRules.NamingMethod((InvalidCastException)exception, plan.Name);
                    case MissOutcome.FallBack:
                        // The target runs at most once per call: its result is kept if it ran before the cache failed.
                        miss = Lookup.Bypassed;
                        return _state == TargetState.Succeeded ? _result! : Start();
                }

                throw;
            }
            finally
            {
                CountRead();
            }
        }

        private async ValueTask<TStored> Run(CancellationToken token)
        {
            cache.PassToken(_call, token);
            _state = TargetState.Running;
            Task<T> task;
            try
            {
                task = Start();
            }
            catch (Exception exception)
            {
                _state = TargetState.Failed;
                if (_intercepting && Environment.CurrentManagedThreadId == _interceptingThread)
                {
                    _thrownWhileIntercepting = ExceptionDispatchInfo.Capture(exception);
                }

                throw TargetFailure.Thrown(plan.Name, exception);
            }

            var stored = await Completed(task).ConfigureAwait(false);
            _result = task;
            _state = TargetState.Succeeded;
            return stored;
        }

        /// <summary>What the cache keeps of the target's task once it completes; its failure told apart from the cache's.</summary>
        private async ValueTask<TStored> Completed(Task<T> task)
        {
            await ((Task)task).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!task.IsCompletedSuccessfully)
            {
                _state = TargetState.Failed;
                throw TargetFailure.Faulted(plan.Name, task);
            }

            ResultRules.ThrowIfDeferred(task.Result, plan.Name);
            return shape.ToStored(task);
        }

        private Task<T> Start() => shape.AsTask(_call.Proceed()!);
    }
}
