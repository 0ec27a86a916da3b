using System;
using System.Collections.Generic;

namespace TagCache.Analyzers;

/// <summary>What the analyzer reads of a template: the placeholders' member paths, skipping any it cannot be sure of.</summary>
internal static class Templates
{
    /// <summary>
    /// The placeholders of <paramref name="template"/> as paths (<c>{product.Id:D}</c> → [product, Id]); <c>{{</c> and
    /// <c>}}</c> are literal braces. A placeholder that is not a plain dotted path of identifiers is left to the runtime check.
    /// </summary>
    public static IEnumerable<IReadOnlyList<string>> Placeholders(string template)
    {
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{')
            {
                if (i + 1 < template.Length && template[i + 1] == '{')
                {
                    i++;
                    continue;
                }

                var end = template.IndexOf('}', i + 1);
                if (end < 0)
                {
                    yield break;
                }

                var content = template.Substring(i + 1, end - i - 1);
                var colon = content.IndexOf(':');
                if (colon >= 0)
                {
                    content = content.Substring(0, colon);
                }

                var path = content.Trim().Split('.');
                if (Array.TrueForAll(path, IsIdentifier))
                {
                    yield return path;
                }

                i = end;
            }
        }
    }

    /// <summary>The edit distance between two names, for "did you mean".</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static bool IsIdentifier(string text)
    {
        if (text.Length == 0 || !(char.IsLetter(text[0]) || text[0] == '_'))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
