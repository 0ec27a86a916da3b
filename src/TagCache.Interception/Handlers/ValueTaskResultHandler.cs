using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>A method returning <see cref="ValueTask{TResult}"/>; the cache stores the result, and a hit wraps it without allocating a task.</summary>
/// <typeparam name="T">The task's result type.</typeparam>
internal sealed class ValueTaskResultHandler<T> : AsyncResultHandler<T, T, ValueTask<T>>
{
    protected override ValueTask<T> FromStored(T stored) => new(stored);

    protected override ValueTask<T> FromTask(Task<T> task) => new(task);

    protected override Task<T> AsTask(object returnValue) => ((ValueTask<T>)returnValue).AsTask();

    protected override T ToStored(Task<T> completed) => completed.Result;

    protected override Task<T> StoredAsTask(T stored) => Task.FromResult(stored);

    protected override T ResultOf(T stored) => stored;

    protected override ValueTask<T> InvalidateAfter(ValueTask<T> result, MethodPlan plan, object?[] arguments, ProxyScope? scope) =>
        new(Invalidation.After(result.AsTask(), plan, arguments, scope));
}
