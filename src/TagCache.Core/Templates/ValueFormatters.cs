using System.Globalization;

namespace TagCache.Templates;

/// <summary>Writes values given boxed, whatever their type: how a template formats values where no typed segment can be made.</summary>
internal abstract class ValueWriter
{
    /// <summary>Writes a boxed value (null as <see cref="NullMarker"/>).</summary>
    public abstract bool TryWriteBoxed(object? value, Span<char> destination, out int written);
}

/// <summary>Writes values of one type; chosen per type when a template is compiled, so formatting never inspects types per call.</summary>
/// <remarks>Every implementation writes null (for reference and nullable types) as <see cref="NullMarker"/>.</remarks>
internal abstract class ValueFormatter<T> : ValueWriter
{
    protected ValueFormatter(ValueEscaper? escaper) => Escaper = escaper;

    /// <summary>Null in tag mode: values are written as they are.</summary>
    protected ValueEscaper? Escaper { get; }

    /// <summary>Writes a value taken from the boxed argument array; unboxing to <typeparamref name="T"/> does not allocate.</summary>
    /// <exception cref="InvalidOperationException">The value is not a <typeparamref name="T"/>: its caller passed the wrong value.</exception>
    public override bool TryWriteBoxed(object? value, Span<char> destination, out int written) =>
        value is T typed ? TryWrite(typed, destination, out written)
        : value is null ? NullMarker.TryWrite(destination, out written)
        : throw new InvalidOperationException(
            $"A template value of type {value.GetType()} was given where the template formats {typeof(T)}; it was compiled for values of that type.");

    public abstract bool TryWrite(T value, Span<char> destination, out int written);

    protected bool Finish(Span<char> destination, int length, out int written)
    {
        if (Escaper is null)
        {
            written = length;
            return true;
        }

        return Escaper.TryEscapeInPlace(destination, length, out written);
    }
}

internal sealed class StringFormatter(ValueEscaper? escaper) : ValueFormatter<string?>(escaper)
{
    public override bool TryWrite(string? value, Span<char> destination, out int written)
    {
        if (value is null)
        {
            return NullMarker.TryWrite(destination, out written);
        }

        if (Escaper is not null)
        {
            return Escaper.TryWrite(value, destination, out written);
        }

        written = value.Length;
        return value.TryCopyTo(destination);
    }
}

internal sealed class CharFormatter(ValueEscaper? escaper) : ValueFormatter<char>(escaper)
{
    public override bool TryWrite(char value, Span<char> destination, out int written)
    {
        if (destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        destination[0] = value;
        return Finish(destination, 1, out written);
    }
}

internal sealed class BooleanFormatter(ValueEscaper? escaper) : ValueFormatter<bool>(escaper)
{
    public override bool TryWrite(bool value, Span<char> destination, out int written)
    {
        if (!value.TryFormat(destination, out var length))
        {
            written = 0;
            return false;
        }

        return Finish(destination, length, out written);
    }
}

/// <summary>Numbers, Guid, dates and times: the constrained call formats the unboxed struct without allocating.</summary>
internal sealed class SpanFormattableFormatter<T>(string? format, ValueEscaper? escaper) : ValueFormatter<T>(escaper)
    where T : struct, ISpanFormattable
{
    public override bool TryWrite(T value, Span<char> destination, out int written)
    {
        if (!value.TryFormat(destination, out var length, format, CultureInfo.InvariantCulture))
        {
            written = 0;
            return false;
        }

        return Finish(destination, length, out written);
    }
}

/// <summary>
/// Enums: the number in keys (renaming a member must not change keys, and numbers are what identify the value),
/// the name in tags (tags are read by people and matched by templates elsewhere).
/// </summary>
internal sealed class EnumFormatter<TEnum>(string format, ValueEscaper? escaper) : ValueFormatter<TEnum>(escaper)
    where TEnum : struct, Enum
{
    public override bool TryWrite(TEnum value, Span<char> destination, out int written)
    {
        if (!Enum.TryFormat(value, destination, out var length, format))
        {
            written = 0;
            return false;
        }

        return Finish(destination, length, out written);
    }
}

/// <summary>
/// Enums, where no <see cref="EnumFormatter{TEnum}"/> can be made for the type (Native AOT makes no generic code at run
/// time): the same text, from the boxed value.
/// </summary>
internal sealed class BoxedEnumWriter(Type enumType, string format, ValueEscaper? escaper) : ValueWriter
{
    public override bool TryWriteBoxed(object? value, Span<char> destination, out int written)
    {
        if (value is null)
        {
            return NullMarker.TryWrite(destination, out written);
        }

        if (value.GetType() != enumType)
        {
            throw new InvalidOperationException($"A template value of type {value.GetType()} was given where the template formats {enumType}; it was compiled for values of that type.");
        }

        if (!((ISpanFormattable)value).TryFormat(destination, out var length, format, provider: null))
        {
            written = 0;
            return false;
        }

        if (escaper is null)
        {
            written = length;
            return true;
        }

        return escaper.TryEscapeInPlace(destination, length, out written);
    }
}

internal sealed class NullableFormatter<T>(ValueFormatter<T> inner) : ValueFormatter<T?>(escaper: null)
    where T : struct
{
    public override bool TryWrite(T? value, Span<char> destination, out int written) =>
        value.HasValue ? inner.TryWrite(value.GetValueOrDefault(), destination, out written) : NullMarker.TryWrite(destination, out written);
}

/// <summary>Writes <c>[a,b,c]</c>; the element formatter escapes brackets and commas in keys, so nesting stays unambiguous.</summary>
internal static class SequenceWriter
{
    /// <summary>
    /// What a key writes for an element that formats to nothing (an empty string): otherwise <c>[""]</c> and an empty
    /// sequence would both be <c>[]</c>. Element values escape '"', so no element can produce this text itself.
    /// </summary>
    public const string EmptyElement = "\"\"";

    public static bool TryWriteElement<T>(ValueFormatter<T> element, T item, bool key, Span<char> destination, ref int pos)
    {
        if (!element.TryWrite(item, destination[pos..], out var n))
        {
            return false;
        }

        if (n == 0 && key)
        {
            if (!EmptyElement.TryCopyTo(destination[pos..]))
            {
                return false;
            }

            n = EmptyElement.Length;
        }

        pos += n;
        return true;
    }

    public static bool TryWriteChar(char c, Span<char> destination, ref int pos)
    {
        if (pos >= destination.Length)
        {
            return false;
        }

        destination[pos++] = c;
        return true;
    }
}

internal sealed class ArrayFormatter<TElement>(ValueFormatter<TElement> element, bool key) : ValueFormatter<TElement[]?>(escaper: null)
{
    public override bool TryWrite(TElement[]? value, Span<char> destination, out int written) =>
        value is null ? NullMarker.TryWrite(destination, out written) : TryWriteElements(value, destination, out written);

    public bool TryWriteElements(ReadOnlySpan<TElement> value, Span<char> destination, out int written)
    {
        written = 0;
        var pos = 0;
        if (!SequenceWriter.TryWriteChar('[', destination, ref pos))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if ((i > 0 && !SequenceWriter.TryWriteChar(',', destination, ref pos))
                || !SequenceWriter.TryWriteElement(element, value[i], key, destination, ref pos))
            {
                return false;
            }
        }

        if (!SequenceWriter.TryWriteChar(']', destination, ref pos))
        {
            return false;
        }

        written = pos;
        return true;
    }
}

internal sealed class ImmutableArrayFormatter<TElement>(ValueFormatter<TElement> element, bool key) : ValueFormatter<System.Collections.Immutable.ImmutableArray<TElement>>(escaper: null)
{
    private readonly ArrayFormatter<TElement> _array = new(element, key);

    public override bool TryWrite(System.Collections.Immutable.ImmutableArray<TElement> value, Span<char> destination, out int written) =>
        value.IsDefault
            ? NullMarker.TryWrite(destination, out written)
            : _array.TryWriteElements(value.AsSpan(), destination, out written);
}

internal sealed class EnumerableFormatter<TSequence, TElement>(ValueFormatter<TElement> element, bool key) : ValueFormatter<TSequence?>(escaper: null)
    where TSequence : IEnumerable<TElement>
{
    public override bool TryWrite(TSequence? value, Span<char> destination, out int written)
    {
        written = 0;
        if (value is null)
        {
            return NullMarker.TryWrite(destination, out written);
        }

        var pos = 0;
        if (!SequenceWriter.TryWriteChar('[', destination, ref pos))
        {
            return false;
        }

        var first = true;
        foreach (var item in value)
        {
            if ((!first && !SequenceWriter.TryWriteChar(',', destination, ref pos))
                || !SequenceWriter.TryWriteElement(element, item, key, destination, ref pos))
            {
                return false;
            }

            first = false;
        }

        if (!SequenceWriter.TryWriteChar(']', destination, ref pos))
        {
            return false;
        }

        written = pos;
        return true;
    }
}
