using System.Reflection;
using System.Runtime.CompilerServices;
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
internal static partial class TemplateCompiler
{
    private const string ResultName = "result";

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
    /// The segment writing argument <paramref name="index"/> (or the result) through <paramref name="members"/>: typed by
    /// its value, with a compiled member path; where no generic code can be made at run time (Native AOT), boxed, with the
    /// members read by reflection.
    /// </summary>
    private static TemplateSegment MakeValueSegment(Type valueType, int index, Type rootType, IReadOnlyList<MemberInfo> members, object formatter)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return new BoxedValueSegment(index, members.Count == 0 ? null : new MemberReader(members), (ValueWriter)formatter);
        }

        var getter = members.Count == 0 ? null : MemberPath.Compile(rootType, members);
        return (TemplateSegment)Activator.CreateInstance(typeof(ValueSegment<>).MakeGenericType(valueType), index, getter, formatter)!;
    }
}
