namespace TagCache.Templates;

/// <summary>
/// How null is written. A dedicated character (rather than "" or "null") keeps null distinct from every
/// string: key templates reject it in literals and escape it inside values.
/// </summary>
internal static class NullMarker
{
    public const char Value = '\u2205';

    public static bool TryWrite(Span<char> destination, out int written)
    {
        if (destination.IsEmpty)
        {
            written = 0;
            return false;
        }

        destination[0] = Value;
        written = 1;
        return true;
    }
}
