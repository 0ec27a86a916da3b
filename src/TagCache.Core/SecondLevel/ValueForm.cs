using System.Buffers;
using System.Runtime.CompilerServices;

namespace TagCache.SecondLevel;

/// <summary>
/// How a stored value of type <typeparamref name="T"/> travels: as itself, or, for the completed <see cref="Task{TResult}"/>
/// an intercepted method's hits return without allocating, as its result (read back into a completed task).
/// </summary>
internal abstract class ValueForm<T>
{
    /// <summary>Gets the form of <typeparamref name="T"/>, made once per type.</summary>
    public static ValueForm<T> Instance { get; } = Create();

    /// <summary>Gets the type the serializer sees.</summary>
    public abstract Type ValueType { get; }

    /// <summary>Gets the name a value's type is checked by: the same on every node running the same types.</summary>
    public string TypeName => ValueType.ToString();

    public abstract void Serialize(ITagCacheSerializer serializer, T value, IBufferWriter<byte> destination);

    public abstract T Deserialize(ITagCacheSerializer serializer, ReadOnlySpan<byte> source);

    private static ValueForm<T> Create()
    {
        if (typeof(T).IsGenericType && typeof(T).GetGenericTypeDefinition() == typeof(Task<>))
        {
            if (!RuntimeFeature.IsDynamicCodeSupported)
            {
                throw new NotSupportedException(
                    $"Under Native AOT, a second level cannot carry the results of methods returning {typeof(T)}: no form for them can be made at run time. Return ValueTask<T> instead, or set SecondLevel = false on the method.");
            }

            return (ValueForm<T>)Activator.CreateInstance(typeof(TaskForm<>).MakeGenericType(typeof(T).GetGenericArguments()[0]))!;
        }

        return new PlainForm();
    }

    private sealed class PlainForm : ValueForm<T>
    {
        public override Type ValueType => typeof(T);

        public override void Serialize(ITagCacheSerializer serializer, T value, IBufferWriter<byte> destination) => serializer.Serialize(value, destination);

        public override T Deserialize(ITagCacheSerializer serializer, ReadOnlySpan<byte> source) => serializer.Deserialize<T>(source);
    }
}

/// <summary>A completed task travels as its result.</summary>
internal sealed class TaskForm<TResult> : ValueForm<Task<TResult>>
{
    public override Type ValueType => typeof(TResult);

    public override void Serialize(ITagCacheSerializer serializer, Task<TResult> value, IBufferWriter<byte> destination) =>
        serializer.Serialize(value.Result, destination);

    public override Task<TResult> Deserialize(ITagCacheSerializer serializer, ReadOnlySpan<byte> source) =>
        Task.FromResult(serializer.Deserialize<TResult>(source));
}
