using System.Text;

namespace TagCache.Templates;

/// <summary>
/// The set of tags a template can produce: its literal text, with a hole (any text, possibly empty) wherever a value goes.
/// Two shapes overlap when some tag fits both, which is how the build tells an invalidation that can match a cached tag
/// from one that can match nothing.
/// </summary>
internal sealed class TagShape
{
    private const int Hole = -1;

    // One element per literal character, Hole for a value; adjacent holes are merged.
    private readonly int[] _tokens;

    private TagShape(int[] tokens) => _tokens = tokens;

    /// <summary>Makes a shape from template parts: literal text, or null for a value.</summary>
    public static TagShape Of(IEnumerable<string?> parts)
    {
        var tokens = new List<int>();
        foreach (var part in parts)
        {
            if (part is null)
            {
                if (tokens.Count == 0 || tokens[^1] != Hole)
                {
                    tokens.Add(Hole);
                }

                continue;
            }

            tokens.AddRange(part.Select(c => (int)c));
        }

        return new TagShape([.. tokens]);
    }

    /// <summary>Reads a shape written as text: any <c>{...}</c> is a value, and <c>{{</c> and <c>}}</c> are literal braces.</summary>
    /// <exception cref="ArgumentException">A <c>{</c> is not closed.</exception>
    public static TagShape Parse(string text)
    {
        var parts = new List<string?>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close < 0)
                {
                    throw new ArgumentException($"The tag template '{text}' has a '{{' at position {i} that is not closed. Write {{...}} for a value, or '{{{{' for a literal brace.", nameof(text));
                }

                parts.Add(literal.ToString());
                literal.Clear();
                parts.Add(null);
                i = close;
            }
            else
            {
                literal.Append(c);
            }
        }

        parts.Add(literal.ToString());
        return Of(parts);
    }

    /// <summary>Gets a value indicating whether some tag fits both shapes.</summary>
    /// <remarks>A walk over pairs of positions, one in each shape: a hole may match nothing, or one more character of the other shape.</remarks>
    public bool Overlaps(TagShape other)
    {
        var a = _tokens;
        var b = other._tokens;
        var seen = new bool[a.Length + 1, b.Length + 1];
        var pending = new Stack<(int I, int J)>();
        pending.Push((0, 0));
        while (pending.TryPop(out var at))
        {
            var (i, j) = at;
            if (seen[i, j])
            {
                continue;
            }

            seen[i, j] = true;
            if (i == a.Length && j == b.Length)
            {
                return true;
            }

            var holeA = i < a.Length && a[i] == Hole;
            var holeB = j < b.Length && b[j] == Hole;
            if (holeA)
            {
                pending.Push((i + 1, j));
            }

            if (holeB)
            {
                pending.Push((i, j + 1));
            }

            if (i < a.Length && j < b.Length)
            {
                if (holeA && !holeB)
                {
                    pending.Push((i, j + 1));
                }
                else if (holeB && !holeA)
                {
                    pending.Push((i + 1, j));
                }
                else if (!holeA && a[i] == b[j])
                {
                    pending.Push((i + 1, j + 1));
                }
            }
        }

        return false;
    }

    /// <summary>Gets how many edits turn one shape's text into the other's; for suggesting the nearest cached shape.</summary>
    public int DistanceTo(TagShape other) => EditDistance.Of<int>(_tokens, other._tokens);

    /// <summary>The shape as people read it: <c>Customer_{...}</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var token in _tokens)
        {
            _ = token == Hole ? text.Append("{...}") : text.Append((char)token);
        }

        return text.ToString();
    }
}
