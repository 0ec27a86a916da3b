using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Handlers;

/// <summary>
/// A method returning <see cref="Task{TResult}"/>. The completed task itself is what the cache stores, so a hit hands back
/// that same task instance and allocates nothing.
/// </summary>
/// <typeparam name="T">The task's result type.</typeparam>
internal sealed class TaskResultHandler<T> : AsyncResultHandler<T, Task<T>, Task<T>>
{
    protected override Task<T> FromStored(Task<T> stored) => stored;

    protected override Task<T> FromTask(Task<T> task) => task;

    protected override Task<T> AsTask(object returnValue) => (Task<T>)returnValue;

    protected override Task<T> ToStored(Task<T> completed) => completed;

    protected override Task<T> StoredAsTask(Task<T> stored) => stored;

    // The store calls this only with a task the factory has already awaited to success, so reading it never blocks.
    protected override T ResultOf(Task<T> stored) => stored.Result;

    protected override Task<T> InvalidateAfter(Task<T> result, MethodPlan plan, object?[] arguments, ProxyScope? scope) => Invalidation.After(result, plan, arguments, scope);
}
