using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>Binding: a placeholder to a parameter (or the result) and its member path, typed, with the formatter for its type.</summary>
internal static partial class TemplateCompiler
{
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

        return (MakeValueSegment(current, index, rootType, members, formatter), index);
    }

    private static string KnownNames(TemplateScope scope, bool allowResult) =>
        string.Join(", ", scope.Parameters.Select(p => p.Name).Concat(allowResult ? [ResultName] : []));
}
