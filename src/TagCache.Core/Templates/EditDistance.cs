namespace TagCache.Templates;

/// <summary>Levenshtein distance: how many insertions, deletions and substitutions turn one sequence into another.</summary>
/// <remarks>Only to pick the likely intended name or shape for a message; never on a call's path.</remarks>
internal static class EditDistance
{
    public static int Of<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b)
        where T : IEquatable<T>
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        var row = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1].Equals(b[j - 1]) ? 0 : 1);
                row[j] = Math.Min(substitution, Math.Min(previous[j], row[j - 1]) + 1);
            }

            (previous, row) = (row, previous);
        }

        return previous[b.Length];
    }
}
