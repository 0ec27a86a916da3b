using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace TagCache.Analyzers;

/// <summary>
/// What tags a template can produce, as the runtime's build-time check compares them (TagCache.Core's TagShape): its
/// literal characters, with a hole wherever a value goes; two shapes overlap when some tag fits both.
/// </summary>
internal sealed class TagShapes
{
    private const int Hole = -1;

    private readonly int[] _tokens;

    private TagShapes(int[] tokens) => _tokens = tokens;

    /// <summary>Reads a template: any <c>{...}</c> is a value, <c>{{</c> and <c>}}</c> literal braces; null when a brace is not closed.</summary>
    public static TagShapes? Parse(string text)
    {
        var tokens = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if ((c == '{' || c == '}') && i + 1 < text.Length && text[i + 1] == c)
            {
                tokens.Add(c);
                i++;
            }
            else if (c == '{')
            {
                var close = text.IndexOf('}', i + 1);
                if (close < 0)
                {
                    return null;
                }

                if (tokens.Count == 0 || tokens[tokens.Count - 1] != Hole)
                {
                    tokens.Add(Hole);
                }

                i = close;
            }
            else
            {
                tokens.Add(c);
            }
        }

        return new TagShapes(tokens.ToArray());
    }

    /// <summary>Gets a value indicating whether some tag fits both shapes (a hole matches any run of characters, or none).</summary>
    public bool Overlaps(TagShapes other)
    {
        var a = _tokens;
        var b = other._tokens;
        var seen = new bool[a.Length + 1, b.Length + 1];
        var pending = new Stack<(int I, int J)>();
        pending.Push((0, 0));
        while (pending.Count > 0)
        {
            var (i, j) = pending.Pop();
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

    /// <summary>The cached shape nearest to <paramref name="shape"/> (by edit distance of their texts).</summary>
    public static TagShapes? Nearest(TagShapes shape, IEnumerable<TagShapes> candidates) =>
        candidates.OrderBy(c => Templates.Distance(c.ToString(), shape.ToString())).FirstOrDefault();
}
