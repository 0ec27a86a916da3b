using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>What a key template may not hold, so that distinct calls never write the same key.</summary>
internal static partial class TemplateCompiler
{
    private static void CheckKeyRules(string template, List<Token> tokens)
    {
        // Only literals can hold these characters: they are not allowed in names.
        var marker = template.IndexOf(NullMarker.Value, StringComparison.Ordinal);
        if (marker >= 0)
        {
            throw TemplateException.Create(
                template,
                marker,
                $"a key template cannot contain '{NullMarker.Value}', the marker written for null values",
                "Remove it or use another character.");
        }

        var backslash = template.IndexOf(ValueEscaper.EscapeChar, StringComparison.Ordinal);
        if (backslash >= 0)
        {
            throw TemplateException.Create(
                template,
                backslash,
                "a key template cannot contain '\\', the escape character of key values",
                "Use another separator, e.g. '_' or ':'.");
        }

        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i].Path is not null && tokens[i - 1].Path is not null)
            {
                throw TemplateException.Create(
                    template,
                    tokens[i].Position,
                    $"placeholders {{{tokens[i - 1].Path}}} and {{{tokens[i].Path}}} are adjacent, so values '12','3' and '1','23' would make the same key",
                    $"Put a separator between them, e.g. {{{tokens[i - 1].Path}}}_{{{tokens[i].Path}}}.");
            }
        }
    }
}
