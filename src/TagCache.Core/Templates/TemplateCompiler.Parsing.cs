using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>Parsing: a template's text into literal runs and placeholders (<c>{name.Member}</c>, the <c>&lt;name&gt;</c> alias, <c>{{</c> and <c>}}</c>).</summary>
internal static partial class TemplateCompiler
{
    private static List<Token> Parse(string template, TemplateScope scope)
    {
        var tokens = new List<Token>();
        var literal = new StringBuilder();
        var literalStart = 0;

        void FlushLiteral(int next)
        {
            if (literal.Length > 0)
            {
                tokens.Add(new Token(literalStart, literal.ToString(), Path: null));
                literal.Clear();
            }

            literalStart = next;
        }

        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (char.IsControl(c))
            {
                throw TemplateException.Create(
                    template,
                    i,
                    $"control character U+{(int)c:X4} is not allowed",
                    "Remove it; templates are single-line printable text.");
            }

            switch (c)
            {
                case '{' when i + 1 < template.Length && template[i + 1] == '{':
                case '}' when i + 1 < template.Length && template[i + 1] == '}':
                    literal.Append(c);
                    i++;
                    break;

                case '{':
                    {
                        var close = template.IndexOf('}', i + 1);
                        var reopen = template.IndexOf('{', i + 1);
                        if (close < 0 || (reopen >= 0 && reopen < close))
                        {
                            throw TemplateException.Create(template, i, "'{' is not closed", "Close the placeholder with '}', or write '{{' for a literal '{'.");
                        }

                        var content = template[(i + 1)..close];
                        if (content.Length == 0)
                        {
                            throw TemplateException.Create(template, i, "the placeholder '{}' is empty", "Write a parameter name inside it, e.g. {id}, or '{{}}' for literal braces.");
                        }

                        if (!IsPath(content))
                        {
                            throw TemplateException.Create(
                                template,
                                i,
                                $"'{{{content}}}' is not a parameter name or member path",
                                "Write {name} or {name.Member}, without spaces, or '{{' and '}}' for literal braces.");
                        }

                        FlushLiteral(close + 1);
                        tokens.Add(new Token(i, Literal: null, content));
                        i = close;
                        break;
                    }

                case '}':
                    throw TemplateException.Create(template, i, "'}' has no matching '{'", "Write '}}' for a literal '}', or add the opening '{'.");

                case '<' when TryReadAlias(template, i, scope, out var path, out var close):
                    FlushLiteral(close + 1);
                    tokens.Add(new Token(i, Literal: null, path));
                    i = close;
                    break;

                default:
                    if (literal.Length == 0)
                    {
                        literalStart = i;
                    }

                    literal.Append(c);
                    break;
            }
        }

        FlushLiteral(template.Length);
        return tokens;
    }

    private static bool TryReadAlias(string template, int open, TemplateScope scope, out string path, out int close)
    {
        path = string.Empty;
        close = template.IndexOf('>', open + 1);
        if (close < 0)
        {
            return false;
        }

        var content = template[(open + 1)..close];
        if (!IsPath(content))
        {
            return false;
        }

        var root = RootOf(content);
        if (root != ResultName && !scope.IsRootName(root))
        {
            return false;
        }

        path = content;
        return true;
    }

    private static bool IsPath(string content)
    {
        foreach (var part in content.Split('.'))
        {
            if (part.Length == 0 || !(char.IsLetter(part[0]) || part[0] == '_') || !part.All(ch => char.IsLetterOrDigit(ch) || ch == '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static string RootOf(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? path : path[..dot];
    }

    /// <summary>A literal run (Path null) or a placeholder (Literal null), with its position in the template.</summary>
    private readonly record struct Token(int Position, string? Literal, string? Path);
}
