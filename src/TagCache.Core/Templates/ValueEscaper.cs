using System.Buffers;

namespace TagCache.Templates;

/// <summary>
/// Key-mode escaping: inside a formatted value every character that could be mistaken for template
/// structure (a literal character, the escape itself, the null marker) is prefixed with '\', so a key can be
/// split back into its values in exactly one way and distinct arguments never produce the same key.
/// </summary>
internal sealed class ValueEscaper
{
    public const char EscapeChar = '\\';

    // Sequence elements additionally escape what the sequence itself writes unescaped: brackets, comma, and the
    // quotes of SequenceWriter.EmptyElement.
    private const string SequenceStructure = "[],\"";

    private readonly SearchValues<char> _special;
    private readonly string _chars;
    private ValueEscaper? _elements;

    public ValueEscaper(string literalCharacters)
    {
        ArgumentNullException.ThrowIfNull(literalCharacters);
        _chars = new string([.. $"{EscapeChar}{NullMarker.Value}{literalCharacters}".Distinct().Order()]);
        _special = SearchValues.Create(_chars);
    }

    /// <summary>The characters escaped in values, for diagnostics and tests.</summary>
    public string Characters => _chars;

    /// <summary>The escaper for elements of a sequence value (created once, at compile time).</summary>
    public ValueEscaper Elements => _elements ??= SequenceStructure.All(_chars.Contains) ? this : new ValueEscaper(_chars + SequenceStructure);

    public bool TryWrite(ReadOnlySpan<char> source, Span<char> destination, out int written)
    {
        var pos = 0;
        while (true)
        {
            var next = source.IndexOfAny(_special);
            var plain = next < 0 ? source.Length : next;
            if (!source[..plain].TryCopyTo(destination[pos..]))
            {
                written = 0;
                return false;
            }

            pos += plain;
            if (next < 0)
            {
                written = pos;
                return true;
            }

            if (destination.Length - pos < 2)
            {
                written = 0;
                return false;
            }

            destination[pos] = EscapeChar;
            destination[pos + 1] = source[next];
            pos += 2;
            source = source[(next + 1)..];
        }
    }

    /// <summary>Escapes the first <paramref name="length"/> characters of <paramref name="buffer"/> where they were formatted.</summary>
    public bool TryEscapeInPlace(Span<char> buffer, int length, out int written)
    {
        // Formatting straight into the destination and fixing up afterwards keeps the common case (nothing to
        // escape, e.g. digits) a single scan, with no temporary buffer.
        var first = buffer[..length].IndexOfAny(_special);
        if (first < 0)
        {
            written = length;
            return true;
        }

        var extra = 0;
        for (var i = first; i < length; i++)
        {
            if (_special.Contains(buffer[i]))
            {
                extra++;
            }
        }

        if (length + extra > buffer.Length)
        {
            written = 0;
            return false;
        }

        var target = length + extra - 1;
        for (var i = length - 1; i >= first; i--)
        {
            var c = buffer[i];
            buffer[target--] = c;
            if (_special.Contains(c))
            {
                buffer[target--] = EscapeChar;
            }
        }

        written = length + extra;
        return true;
    }
}
