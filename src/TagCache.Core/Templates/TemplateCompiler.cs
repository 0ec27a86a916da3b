using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>
/// Parses and binds templates once, at plan-build time, so every problem surfaces then (with the fix in the
/// message) and formatting per call is only running prepared segments.
/// </summary>
/// <remarks>
/// Syntax: <c>{name}</c>, <c>{name.Member.Member}</c>, <c>{result}</c>, <c>{result.Member}</c>; <c>{{</c> and <c>}}</c> are
/// literal braces. <c>&lt;name.Member&gt;</c> is an alias for <c>{name.Member}</c>, but only when the text between the
/// angle brackets is an identifier path whose first identifier is a parameter name or <c>result</c>; anything else
/// (e.g. <c>List&lt;int&gt;</c>) is literal text. That keeps generic-looking literals usable without an escape for
/// <c>&lt;</c>, at the price that a misspelled <c>&lt;idd&gt;</c> is literal: <c>{}</c> is the form that catches typos.
/// </remarks>
internal static class TemplateCompiler
{
    private const string ResultName = "result";

    // Separators of the default key: '|' between values, '[' ',' ']' inside sequences.
    private const string DefaultKeySeparators = "|[],";

    public static CompiledTemplate Compile(string template, TemplateScope scope, TemplateKind kind)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (string.IsNullOrWhiteSpace(template))
        {
            throw TemplateException.Create(
                template ?? string.Empty,
                0,
                template is null ? "the template is null" : "the template is empty",
                "Write the text with placeholders, e.g. 'Product_{id}'.");
        }

        var tokens = Parse(template, scope);
        if (kind == TemplateKind.Key)
        {
            CheckKeyRules(template, tokens);
        }

        var escaper = kind == TemplateKind.Key
            ? new ValueEscaper(string.Concat(tokens.Where(t => t.Path is null).Select(t => t.Literal)))
            : null;

        var segments = new List<TemplateSegment>(tokens.Count);
        var usesResult = false;
        var argumentCount = 0;
        foreach (var token in tokens)
        {
            if (token.Path is null)
            {
                segments.Add(new LiteralSegment(token.Literal!));
                continue;
            }

            (var segment, var index) = Bind(template, token, scope, kind, escaper);
            segments.Add(segment);
            usesResult |= index == TemplateSegment.ResultIndex;
            argumentCount = Math.Max(argumentCount, index + 1);
        }

        return new CompiledTemplate(template, usesResult, segments, argumentCount);
    }

    /// <summary>
    /// Compiles the default key: the target's identity (so two implementations, or two registrations, never share an
    /// entry), the method's full identity, then every argument but a <see cref="CancellationToken"/>, escaped.
    /// </summary>
    /// <param name="method">The method, closed over its generic arguments (unless <paramref name="open"/>).</param>
    /// <param name="target">What answers the call: the implementation type, with the service key and ordinal of its registration.</param>
    /// <param name="open">Check only what does not depend on generic arguments; the result is for checking, not for formatting.</param>
    public static CompiledTemplate CompileDefaultKey(MethodInfo method, string target, bool open = false)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(target);
        var identity = target + "|" + MethodIdentity(method);
        var parameters = method.GetParameters();
        string[] names = [.. parameters.Select((p, i) => p.Name ?? "arg" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var text = identity + string.Concat(parameters
            .Where(p => !IsCancellationToken(p.ParameterType))
            .Select(p => "|{" + names[p.Position] + "}"));

        if (method.ContainsGenericParameters && !open)
        {
            throw TemplateException.Create(
                text,
                -1,
                "the method or its declaring type has open generic parameters, so calls with different type arguments would share keys",
                "Compile the default key for the closed method (e.g. the invocation's concrete MethodInfo).");
        }

        var escaper = new ValueEscaper(DefaultKeySeparators);

        // The target and the method are written before the first unescaped '|' that starts the arguments; escaping '' and
        // '|' inside each keeps every boundary unambiguous.
        var segments = new List<TemplateSegment> { new LiteralSegment(EscapeLiteral(target) + "|" + EscapeLiteral(MethodIdentity(method))) };
        foreach (var parameter in parameters)
        {
            var type = parameter.ParameterType.IsByRef ? parameter.ParameterType.GetElementType()! : parameter.ParameterType;
            if (IsCancellationToken(type))
            {
                // A token says how long the caller will wait, not what is computed; the result is the same for any token.
                continue;
            }

            if (open && type.ContainsGenericParameters)
            {
                segments.Add(DeferredSegment.Instance);
                continue;
            }

            var formatter = ValueFormatterFactory.TryCreate(type, TemplateKind.Key, escaper)
                ?? throw TemplateException.Create(
                    text,
                    -1,
                    $"parameter '{names[parameter.Position]}' of type '{TypeName(type)}' has no stable formatting for a default key ({ValueFormatterFactory.SupportedTypes})",
                    $"Set a Key template naming stable members instead, e.g. Key = \"{method.Name}_{Suggest(names[parameter.Position], type)}\".");

            segments.Add(new LiteralSegment("|"));
            segments.Add(MakeValueSegment(type, parameter.Position, getter: null, formatter));
        }

        return new CompiledTemplate(text, usesResult: false, segments, parameters.Length);
    }

    private static string EscapeLiteral(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static bool IsCancellationToken(Type type) => type == typeof(CancellationToken);

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

    private static (TemplateSegment Segment, int Index) Bind(string template, Token token, TemplateScope scope, TemplateKind kind, ValueEscaper? escaper)
    {
        var parts = token.Path!.Split('.');
        var root = parts[0];
        var position = token.Position;
        var parameter = scope.Parameters.Cast<TemplateParameter?>().FirstOrDefault(p => p!.Value.Name == root);

        Type rootType;
        int index;

        // With a members scope every part is a member of argument 0; otherwise the first part names a parameter or the result.
        var firstMember = 1;
        if (scope.MembersOf is { } membersOf)
        {
            rootType = membersOf;
            index = 0;
            firstMember = 0;
        }
        else if (root == ResultName && (parameter is null || scope.ResultType is not null))
        {
            if (kind == TemplateKind.Key)
            {
                throw TemplateException.Create(
                    template,
                    position,
                    "a key cannot use {result}: the key is needed before the method runs",
                    $"Use parameters only. Known names: {KnownNames(scope, allowResult: false)}.");
            }

            if (scope.ResultType is null)
            {
                throw TemplateException.Create(
                    template,
                    position,
                    "{result} is not available: the method returns no value",
                    $"Use parameters only. Known names: {KnownNames(scope, allowResult: false)}.");
            }

            if (parameter is not null)
            {
                throw TemplateException.Create(
                    template,
                    position,
                    "'result' is ambiguous: it names both a parameter and the return value",
                    "Rename the parameter.");
            }

            rootType = scope.ResultType;
            index = TemplateSegment.ResultIndex;
        }
        else if (parameter is { } found)
        {
            rootType = found.Type;
            index = found.Index;
        }
        else
        {
            var allowResult = kind == TemplateKind.Tag && scope.ResultType is not null;
            var known = KnownNames(scope, allowResult);
            var closest = Closest(root, scope.Parameters.Select(p => p.Name).Concat(allowResult ? [ResultName] : []));
            throw TemplateException.Create(
                template,
                position,
                $"unknown name '{root}'. Known names: {(known.Length == 0 ? "(none)" : known)}",
                closest is null ? "Remove the placeholder; the method has no parameters to use." : $"Write {{{closest}}}.");
        }

        if (rootType.IsByRef)
        {
            rootType = rootType.GetElementType()!;
        }

        var members = new List<MemberInfo>(parts.Length);
        var current = rootType;
        for (var i = firstMember; i < parts.Length; i++)
        {
            var owner = MemberPath.Lift(current);
            if (scope.Open && owner.IsGenericParameter)
            {
                // The members of a type argument are known once the type is closed; checked then.
                return (DeferredSegment.Instance, index);
            }

            var member = MemberPath.Find(owner, parts[i]);
            if (member is null)
            {
                var available = MemberPath.Available(owner);
                var prefix = string.Join('.', parts[..i]);
                var closest = Closest(parts[i], available);
                throw TemplateException.Create(
                    template,
                    position,
                    $"type '{TypeName(owner)}' has no public property or field '{parts[i]}' (in '{token.Path}'). Available: {(available.Count > 0 ? string.Join(", ", available) : "(none)")}",
                    closest is null ? (prefix.Length == 0 ? "Remove the placeholder." : $"Write {{{prefix}}} without a member.")
                        : prefix.Length == 0 ? $"Write {{{closest}}}." : $"Write {{{prefix}.{closest}}}.");
            }

            members.Add(member);
            current = MemberPath.MemberType(member);
        }

        if (scope.Open && current.ContainsGenericParameters)
        {
            return (DeferredSegment.Instance, index);
        }

        if (current == typeof(CancellationToken))
        {
            throw TemplateException.Create(
                template,
                position,
                $"{{{token.Path}}} is a CancellationToken, which says how long the caller waits, not what is computed: every token gives the same value",
                kind == TemplateKind.Key
                    ? "Remove it from the Key (the default key leaves the token out too)."
                    : "Remove it from the tag.");
        }

        var formatter = ValueFormatterFactory.TryCreate(current, kind, escaper)
            ?? throw TemplateException.Create(
                template,
                position,
                $"{{{token.Path}}} is of type '{TypeName(current)}', which has no stable formatting ({ValueFormatterFactory.SupportedTypes})",
                $"Name a member with a stable value, e.g. {Suggest(token.Path, current)}{(kind == TemplateKind.Tag ? string.Empty : ", or set a Key template that does")}.");

        var getter = members.Count == 0 ? null : MemberPath.Compile(rootType, members);
        return (MakeValueSegment(current, index, getter, formatter), index);
    }

    private static TemplateSegment MakeValueSegment(Type valueType, int index, Delegate? getter, object formatter) =>
        (TemplateSegment)Activator.CreateInstance(typeof(ValueSegment<>).MakeGenericType(valueType), index, getter, formatter)!;

    private static string KnownNames(TemplateScope scope, bool allowResult) =>
        string.Join(", ", scope.Parameters.Select(p => p.Name).Concat(allowResult ? [ResultName] : []));

    /// <summary>The type's name as the default key writes it; also for messages.</summary>
    internal static string DisplayTypeName(Type type) => TypeName(type);

    /// <summary>A placeholder for the fix text: the first member with a stable value, preferring an Id.</summary>
    private static string Suggest(string path, Type type)
    {
        var owner = MemberPath.Lift(type);
        var members = MemberPath.Available(owner);
        var pick = members
            .Where(m => MemberPath.Find(owner, m) is { } info && ValueFormatterFactory.IsSupported(MemberPath.MemberType(info)))
            .OrderBy(m => m == "Id" ? 0 : m.EndsWith("Id", StringComparison.Ordinal) ? 1 : 2)
            .FirstOrDefault();
        return "{" + path + "." + (pick ?? "Id") + "}";
    }

    private static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates
            .Select(c => (Name: c, Distance: Distance(name.ToUpperInvariant(), c.ToUpperInvariant())))

            // "productId" most likely meant "id": a name contained in the other beats a merely short edit distance.
            .OrderBy(c => Contains(name, c.Name) ? 0 : 1)
            .ThenBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();

    private static bool Contains(string a, string b) =>
        a.Contains(b, StringComparison.OrdinalIgnoreCase) || b.Contains(a, StringComparison.OrdinalIgnoreCase);

    private static int Distance(string a, string b)
    {
        // Levenshtein distance, only to pick the likely intended name for the error message.
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        var row = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                row[j] = Math.Min(substitution, Math.Min(previous[j], row[j - 1]) + 1);
            }

            (previous, row) = (row, previous);
        }

        return previous[b.Length];
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

    private static string MethodIdentity(MethodInfo method)
    {
        var text = new StringBuilder();
        text.Append(method.DeclaringType is { } declaring ? TypeName(declaring) : method.Module.Name).Append('.').Append(method.Name);
        if (method.IsGenericMethod)
        {
            text.Append('<').AppendJoin(',', method.GetGenericArguments().Select(TypeName)).Append('>');
        }

        text.Append('(').AppendJoin(',', method.GetParameters().Select(p => TypeName(p.ParameterType))).Append(')');
        return text.ToString();
    }

    /// <summary>Namespace-qualified name with generic arguments written out, e.g. <c>Ns.Repo`1&lt;System.Int32&gt;</c>.</summary>
    private static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!) + "&";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + (type.IsSZArray ? "[]" : "[" + new string(',', type.GetArrayRank() - 1) + "]");
        }

        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!) + "*";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            return (definition.FullName ?? definition.Name) + "<" + string.Join(',', type.GetGenericArguments().Select(TypeName)) + ">";
        }

        return type.FullName ?? type.Name;
    }

    /// <summary>A literal run (Path null) or a placeholder (Literal null), with its position in the template.</summary>
    private readonly record struct Token(int Position, string? Literal, string? Path);
}
