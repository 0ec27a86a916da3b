using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>The default key: what answers the call, the method's full identity and every argument but a token, escaped.</summary>
internal static partial class TemplateCompiler
{
    // Separators of the default key: '|' between values, '[' ',' ']' inside sequences.
    private const string DefaultKeySeparators = "|[],";

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
            segments.Add(MakeValueSegment(type, parameter.Position, type, [], formatter));
        }

        return new CompiledTemplate(text, usesResult: false, segments, parameters.Length);
    }

    private static string EscapeLiteral(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal);

    private static bool IsCancellationToken(Type type) => type == typeof(CancellationToken);

    private static string MethodIdentity(MethodInfo method)
    {
        var text = new StringBuilder();
        text.Append(method.DeclaringType is { } declaring ? TypeName(declaring) : method.Module.ScopeName).Append('.').Append(method.Name);
        if (method.IsGenericMethod)
        {
            text.Append('<').AppendJoin(',', method.GetGenericArguments().Select(TypeName)).Append('>');
        }

        text.Append('(').AppendJoin(',', method.GetParameters().Select(p => TypeName(p.ParameterType))).Append(')');
        return text.ToString();
    }
}
