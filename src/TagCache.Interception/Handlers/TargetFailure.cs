using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;

namespace TagCache.Interception.Handlers;

/// <summary>
/// Carries the target's own failure through the cache (which passes a factory's exception on to every waiter and never
/// caches it), so the interceptor can tell it from a fault of the cache and give each caller exactly what the target
/// produced: the same exception instance with its stack, or the same faulted task with all of its exceptions.
/// </summary>
internal sealed class TargetFailure : Exception
{
    private readonly ExceptionDispatchInfo? _thrown;

    public TargetFailure()
        : this("The target failed.")
    {
    }

    public TargetFailure(string message)
        : base(message)
    {
    }

    public TargetFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private TargetFailure(string method, Exception inner, ExceptionDispatchInfo? thrown, Task? task)
        : base($"{method} failed; TagCache hands this failure to every caller that shared the call, unchanged.", inner)
    {
        _thrown = thrown;
        Task = task;
    }

    /// <summary>Gets the target's faulted or cancelled task, when the failure came as a task.</summary>
    public Task? Task { get; }

    /// <summary>The target threw.</summary>
    public static TargetFailure Thrown(string method, Exception exception) =>
        new(method, exception, ExceptionDispatchInfo.Capture(exception), task: null);

    /// <summary>The target returned a task that faulted or was cancelled.</summary>
    public static TargetFailure Faulted(string method, Task task) =>
        new(method, task.Exception?.InnerException ?? new TaskCanceledException(task), thrown: null, task);

    /// <summary>Throws what the target threw (or what awaiting its task throws), with its original stack.</summary>
    [DoesNotReturn]
    public void Rethrow()
    {
        _thrown?.Throw();
        Task!.GetAwaiter().GetResult();
        throw new InvalidOperationException("A failed target task completed successfully.");
    }

    /// <summary>The failure as the task the caller receives: the target's own task, or one faulted with what it threw.</summary>
    public Task<T> AsTask<T>() =>
        Task as Task<T> ?? System.Threading.Tasks.Task.FromException<T>(_thrown!.SourceException);
}
