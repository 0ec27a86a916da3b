using System.Buffers;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using TagCache.Templates;

namespace TagCache;

/// <summary>Builds the text of <see cref="CacheTags.Format"/>; the compiler uses it for the interpolated string, so you never need to.</summary>
[InterpolatedStringHandler]
[EditorBrowsable(EditorBrowsableState.Never)]
public ref struct TagInterpolatedStringHandler
{
    private char[] _buffer;
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="TagInterpolatedStringHandler"/> struct.</summary>
    /// <param name="literalLength">The number of literal characters.</param>
    /// <param name="formattedCount">The number of values.</param>
    public TagInterpolatedStringHandler(int literalLength, int formattedCount)
    {
        _buffer = ArrayPool<char>.Shared.Rent(Math.Max(16, literalLength + (formattedCount * 16)));
        _length = 0;
    }

    /// <summary>Appends literal text.</summary>
    /// <param name="value">The text.</param>
    public void AppendLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        while (!value.TryCopyTo(_buffer.AsSpan(_length)))
        {
            Grow();
        }

        _length += value.Length;
    }

    /// <summary>Appends a value formatted as a template formats it.</summary>
    /// <typeparam name="T">The value's type; it must have stable formatting.</typeparam>
    /// <param name="value">The value.</param>
    public void AppendFormatted<T>(T value)
    {
        var formatter = TagValueFormatter<T>.Instance ?? throw new ArgumentException(
            $"CacheTags.Format cannot format a value of type '{typeof(T)}': it has no stable formatting ({ValueFormatterFactory.SupportedTypes}). " +
            "Format one of its members with a stable value instead, e.g. {order.Id}.",
            nameof(value));
        int written;
        while (!formatter.TryWrite(value, _buffer.AsSpan(_length), out written))
        {
            Grow();
        }

        _length += written;
    }

    /// <summary>Returns the text and releases the buffer.</summary>
    /// <returns>The formatted tag.</returns>
    internal string ToStringAndClear()
    {
        var text = new string(_buffer, 0, _length);
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
        return text;
    }

    private void Grow()
    {
        var larger = ArrayPool<char>.Shared.Rent(checked(_buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<char>.Shared.Return(_buffer);
        _buffer = larger;
    }

    /// <summary>The tag formatter of a type, chosen once per type like a template's.</summary>
    private static class TagValueFormatter<T>
    {
        public static readonly ValueFormatter<T>? Instance = (ValueFormatter<T>?)ValueFormatterFactory.TryCreate(typeof(T), TemplateKind.Tag, escaper: null);
    }
}
