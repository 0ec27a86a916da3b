using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace TagCache.Hybrid;

/// <summary>
/// HybridCache's object-reuse rule: a value of an immutable type (a string, a struct without references, a sealed class
/// marked <c>[ImmutableObject(true)]</c>) is handed to every caller as it is; any other comes back to each caller as its
/// own copy, made by the serializer registered for its type (an <see cref="IHybridCacheSerializer{T}"/>, else the last
/// <see cref="IHybridCacheSerializerFactory"/> that takes it, else System.Text.Json), as Microsoft's implementation does.
/// </summary>
internal sealed class ValueCopier(IServiceProvider services)
{
    private readonly ConcurrentDictionary<Type, object> _serializers = new();

    /// <summary>The value for one caller: itself when its type is immutable, a copy otherwise.</summary>
    public T ForCaller<T>(T value)
    {
        if (Immutable<T>.Value || value is null)
        {
            return value;
        }

        var serializer = SerializerFor<T>();
        var buffer = new ArrayBufferWriter<byte>();
        serializer.Serialize(value, buffer);
        return serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory));
    }

    private IHybridCacheSerializer<T> SerializerFor<T>() =>
        (IHybridCacheSerializer<T>)_serializers.GetOrAdd(typeof(T), static (_, services) => Resolve<T>(services), services);

    private static IHybridCacheSerializer<T> Resolve<T>(IServiceProvider services)
    {
        if (services.GetService<IHybridCacheSerializer<T>>() is { } registered)
        {
            return registered;
        }

        foreach (var factory in services.GetServices<IHybridCacheSerializerFactory>().Reverse())
        {
            if (factory.TryCreateSerializer<T>(out var created))
            {
                return created;
            }
        }

        return typeof(T) == typeof(byte[]) ? (IHybridCacheSerializer<T>)(object)BytesSerializer.Instance : new JsonSerializer<T>();
    }

    /// <summary>Whether values of <typeparamref name="T"/> can be shared between callers (HybridCache's definition).</summary>
    private static class Immutable<T>
    {
        public static readonly bool Value = Compute();

        private static bool Compute()
        {
            var type = typeof(T);
            if (type == typeof(string) || (type.IsValueType && !RuntimeHelpers.IsReferenceOrContainsReferences<T>()))
            {
                return true;
            }

            return type is { IsClass: true, IsSealed: true } && type.GetCustomAttribute<ImmutableObjectAttribute>() is { Immutable: true };
        }
    }

    private sealed class JsonSerializer<T> : IHybridCacheSerializer<T>
    {
        public T Deserialize(ReadOnlySequence<byte> source)
        {
            var reader = new Utf8JsonReader(source);
            return JsonSerializer.Deserialize<T>(ref reader, JsonSerializerOptions.Default)!;
        }

        public void Serialize(T value, IBufferWriter<byte> target)
        {
            using var writer = new Utf8JsonWriter(target);
            JsonSerializer.Serialize(writer, value, JsonSerializerOptions.Default);
        }
    }

    private sealed class BytesSerializer : IHybridCacheSerializer<byte[]>
    {
        public static readonly BytesSerializer Instance = new();

        public byte[] Deserialize(ReadOnlySequence<byte> source) => source.ToArray();

        public void Serialize(byte[] value, IBufferWriter<byte> target) => target.Write(value);
    }
}
