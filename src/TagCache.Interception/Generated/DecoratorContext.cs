using System.ComponentModel;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Scopes;

namespace TagCache.Interception.Generated;

/// <summary>
/// What a generated decorator is made with: the plans of its methods for its target (and, when the target's keys vary by
/// state of the caller's scope, that scope). For generated code only: each method asks once, in its constructor, for its
/// <see cref="GeneratedMethod{TReturn}"/> by the shape of its return type.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class DecoratorContext
{
    private readonly MethodPlan[] _plans;
    private readonly ProxyScope? _scope;
    private readonly object?[] _methods;

    internal DecoratorContext(MethodPlan[] plans, ProxyScope? scope, bool ownsTarget)
    {
        _plans = plans;
        _scope = scope;
        _methods = new object?[plans.Length];
        OwnsTarget = ownsTarget;
    }

    /// <summary>Gets a value indicating whether the container created the target, so disposing the decorator disposes it.</summary>
    public bool OwnsTarget { get; }

    /// <summary>The method at <paramref name="index"/>, returning <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The method's return type.</typeparam>
    /// <param name="index">The method's position in the registered methods.</param>
    /// <returns>The method's plan for calls.</returns>
    public GeneratedMethod<T> Returning<T>(int index) => Method(index, ReturnShape.Value, typeof(T), static () => new ResultHandler<T>());

    /// <summary>The method at <paramref name="index"/>, returning <see cref="Task{TResult}"/> of <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Returning{T}(int)"/>
    public GeneratedMethod<Task<T>> ReturningTask<T>(int index) => Method(index, ReturnShape.TaskOfValue, typeof(T), static () => new TaskResultHandler<T>());

    /// <summary>The method at <paramref name="index"/>, returning <see cref="ValueTask{TResult}"/> of <typeparamref name="T"/>.</summary>
    /// <inheritdoc cref="Returning{T}(int)"/>
    public GeneratedMethod<ValueTask<T>> ReturningValueTask<T>(int index) => Method(index, ReturnShape.ValueTaskOfValue, typeof(T), static () => new ValueTaskResultHandler<T>());

    /// <summary>The <see langword="void"/> method at <paramref name="index"/>; its call returns null.</summary>
    /// <param name="index">The method's position in the registered methods.</param>
    /// <returns>The method's plan for calls.</returns>
    public GeneratedMethod<object?> ReturningVoid(int index) => Method(index, ReturnShape.Void, valueType: null, static () => new VoidHandler());

    /// <summary>The method at <paramref name="index"/>, returning <see cref="Task"/>.</summary>
    /// <inheritdoc cref="ReturningVoid(int)"/>
    public GeneratedMethod<Task> ReturningTask(int index) => Method(index, ReturnShape.Task, valueType: null, static () => new TaskHandler());

    /// <summary>The method at <paramref name="index"/>, returning <see cref="ValueTask"/>.</summary>
    /// <inheritdoc cref="ReturningVoid(int)"/>
    public GeneratedMethod<ValueTask> ReturningValueTask(int index) => Method(index, ReturnShape.ValueTask, valueType: null, static () => new ValueTaskHandler());

    private GeneratedMethod<TReturn> Method<TReturn>(int index, ReturnShape shape, Type? valueType, Func<ReturnHandler<TReturn>> handler)
    {
        if ((uint)index >= (uint)_plans.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, "The generated decorator asks for a method it did not register. Rebuild the project that calls AddTagCaching.");
        }

        if (_methods[index] is GeneratedMethod<TReturn> made)
        {
            return made;
        }

        var plan = _plans[index];
        if (plan.IsIntercepted && (plan.Shape != shape || plan.ValueType != valueType))
        {
            throw new InvalidOperationException($"The generated decorator of {plan.Name} does not match the method's return type. Rebuild the project that calls AddTagCaching.");
        }

        var method = new GeneratedMethod<TReturn>(plan, plan.IsIntercepted ? handler() : null, _scope);
        _methods[index] = method;
        return method;
    }
}
