using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TagCache.SecondLevel;

/// <summary>The default serializer: System.Text.Json with the given options (a source-generated context's for trimming).</summary>
internal sealed class JsonValueSerializer(JsonSerializerOptions options) : ITagCacheSerializer
{
    public bool CanSerialize(Type type, [NotNullWhen(false)] out string? reason)
    {
        if (type == typeof(object))
        {
            reason = "System.Text.Json reads an object back as a JsonElement, not as the value that was cached. Return a concrete type, or set Serializer";
            return false;
        }

        JsonTypeInfo info;
        try
        {
            info = TypeInfo(type);
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            reason = $"System.Text.Json cannot serialize it ({exception.Message}). Give JsonOptions a resolver that knows it (a JsonSerializerContext with [JsonSerializable(typeof({type.Name}))]), or set Serializer";
            return false;
        }

        if (info.Kind == JsonTypeInfoKind.Object && info.CreateObject is null && info.PolymorphismOptions is null && (type.IsInterface || type.IsAbstract))
        {
            reason = $"System.Text.Json cannot create a {type.Name} when reading it back (it is {(type.IsInterface ? "an interface" : "abstract")}). Return a concrete type, declare its derived types with [JsonDerivedType], or set Serializer";
            return false;
        }

        reason = null;
        return true;
    }

    public void Serialize<T>(T value, IBufferWriter<byte> destination)
    {
        using var writer = new Utf8JsonWriter(destination);
        JsonSerializer.Serialize(writer, value, (JsonTypeInfo<T>)TypeInfo(typeof(T)));
    }

    public T Deserialize<T>(ReadOnlySpan<byte> source) => JsonSerializer.Deserialize(source, (JsonTypeInfo<T>)TypeInfo(typeof(T)))!;

    private JsonTypeInfo TypeInfo(Type type)
    {
        // The default options have no resolver until they are made read-only; other options get the reflection resolver
        // the same way, unless they carry a (source-generated) one.
        if (!options.IsReadOnly)
        {
            options.MakeReadOnly(populateMissingResolver: true);
        }

        return options.GetTypeInfo(type);
    }
}
