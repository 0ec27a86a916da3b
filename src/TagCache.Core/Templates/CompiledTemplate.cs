using System.Buffers;

namespace TagCache.Templates;

/// <summary>A template parsed and bound once; formatting only runs the prepared segments.</summary>
internal sealed class CompiledTemplate
{
    private const int StackBufferSize = 256;

    private readonly TemplateSegment[] _segments;
    private readonly int _argumentCount;

    public CompiledTemplate(string text, bool usesResult, IReadOnlyList<TemplateSegment> segments, int argumentCount)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(segments);
        Text = text;
        UsesResult = usesResult;
        _segments = [.. segments];
        _argumentCount = argumentCount;
    }

    /// <summary>The source template (for a default key, a description of the method and its parameters).</summary>
    public string Text { get; }

    public bool UsesResult { get; }

    /// <summary>Gets the strings the template can produce: its literal text, with a hole wherever a value goes.</summary>
    public TagShape Shape => TagShape.Of(_segments.Select(s => s is LiteralSegment literal ? literal.Text : null));

    public string Format(object?[] arguments, object? result = null)
    {
        Span<char> stack = stackalloc char[StackBufferSize];
        if (TryFormat(stack, arguments, result, out var written))
        {
            return new string(stack[..written]);
        }

        for (var size = StackBufferSize * 4; ; size = checked(size * 2))
        {
            var rented = ArrayPool<char>.Shared.Rent(size);
            try
            {
                if (TryFormat(rented, arguments, result, out written))
                {
                    return new string(rented, 0, written);
                }
            }
            finally
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Writes the text into <paramref name="destination"/>; does not allocate for primitive values, strings and enums.
    /// Returns false (and <paramref name="charsWritten"/> 0) when the destination is too small.
    /// </summary>
    public bool TryFormat(Span<char> destination, object?[] arguments, object? result, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Length < _argumentCount)
        {
            throw new ArgumentException($"Template '{Text}' needs {_argumentCount} arguments but {arguments.Length} were passed.", nameof(arguments));
        }

        var pos = 0;
        foreach (var segment in _segments)
        {
            if (!segment.TryWrite(arguments, result, destination[pos..], out var written))
            {
                charsWritten = 0;
                return false;
            }

            pos += written;
        }

        charsWritten = pos;
        return true;
    }
}
