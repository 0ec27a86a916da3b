namespace TagCache.Templates;

/// <summary>One piece of a compiled template: literal text or a value.</summary>
internal abstract class TemplateSegment
{
    /// <summary>The argument index used for <c>{result}</c>.</summary>
    public const int ResultIndex = -1;

    public abstract bool TryWrite(object?[] arguments, object? result, Span<char> destination, out int written);
}

internal sealed class LiteralSegment(string text) : TemplateSegment
{
    public string Text => text;

    public override bool TryWrite(object?[] arguments, object? result, Span<char> destination, out int written)
    {
        written = text.Length;
        return text.TryCopyTo(destination);
    }
}

/// <summary>Reads an argument (or the result), follows its compiled member path, and formats the value.</summary>
/// <remarks>Typed by the leaf value, so a value-type member is read and formatted without being boxed.</remarks>
internal sealed class ValueSegment<T>(int argumentIndex, MemberGetter<T>? getter, ValueFormatter<T> formatter) : TemplateSegment
{
    public override bool TryWrite(object?[] arguments, object? result, Span<char> destination, out int written)
    {
        var root = argumentIndex == ResultIndex ? result : arguments[argumentIndex];
        if (getter is null)
        {
            return formatter.TryWriteBoxed(root, destination, out written);
        }

        if (root is null || !getter(root, out var value))
        {
            return NullMarker.TryWrite(destination, out written);
        }

        return formatter.TryWrite(value, destination, out written);
    }
}

/// <summary>
/// <see cref="ValueSegment{T}"/> where no generic code can be made at run time (Native AOT): the value is read boxed,
/// through its members by reflection, and written by its type's writer. The same text, at the price of a box per value.
/// </summary>
internal sealed class BoxedValueSegment(int argumentIndex, MemberReader? reader, ValueWriter writer) : TemplateSegment
{
    public override bool TryWrite(object?[] arguments, object? result, Span<char> destination, out int written)
    {
        var root = argumentIndex == ResultIndex ? result : arguments[argumentIndex];
        if (reader is null)
        {
            return writer.TryWriteBoxed(root, destination, out written);
        }

        return root is not null && reader.TryRead(root, out var value)
            ? writer.TryWriteBoxed(value, destination, out written)
            : NullMarker.TryWrite(destination, out written);
    }
}

/// <summary>
/// Stands for a value whose type depends on a generic argument, in a template compiled only to check an open generic
/// service; the closed service is compiled again, fully, before any call.
/// </summary>
internal sealed class DeferredSegment : TemplateSegment
{
    public static DeferredSegment Instance { get; } = new();

    public override bool TryWrite(object?[] arguments, object? result, Span<char> destination, out int written) =>
        throw new InvalidOperationException("A template compiled for checking an open generic type cannot format values.");
}
