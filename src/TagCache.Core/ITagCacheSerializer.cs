using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace TagCache;

/// <summary>
/// Turns values into bytes for the second level (<see cref="TagCacheOptions.UseSecondLevel"/>) and back. The default is
/// System.Text.Json with <see cref="TagCacheSecondLevelOptions.JsonOptions"/>; implement this for another format.
/// </summary>
public interface ITagCacheSerializer
{
    /// <summary>
    /// Says whether values of <paramref name="type"/> can be written and read back as the same type. Asked when the
    /// container is built for every cached method's result type (a refusal fails the build), and at a value's first store.
    /// </summary>
    /// <param name="type">The value's type (a method's result, unwrapped from its task).</param>
    /// <param name="reason">Why not, and what to do about it, when it cannot.</param>
    /// <returns>Whether values of the type can be serialized.</returns>
    bool CanSerialize(Type type, [NotNullWhen(false)] out string? reason);

    /// <summary>Writes <paramref name="value"/> to <paramref name="destination"/>.</summary>
    /// <typeparam name="T">The value's type as cached.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="destination">Where the bytes go.</param>
    void Serialize<T>(T value, IBufferWriter<byte> destination);

    /// <summary>Reads a value written by <see cref="Serialize{T}"/>; throws when the bytes are not one.</summary>
    /// <typeparam name="T">The value's type as cached.</typeparam>
    /// <param name="source">The bytes.</param>
    /// <returns>The value.</returns>
    T Deserialize<T>(ReadOnlySpan<byte> source);
}
