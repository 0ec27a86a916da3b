using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TagCache.Analyzers;

/// <summary>
/// Checks <c>[CacheWithTags]</c> methods as the user types: what the container build checks at run time (signatures,
/// templates), and what it cannot see (a cached method called on <c>this</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CacheWithTagsAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Diagnostics.NothingToCache,
        Diagnostics.UnsupportedSignature,
        Diagnostics.UnknownName,
        Diagnostics.ResultInKey,
        Diagnostics.NotAValue,
        Diagnostics.SelfCall,
        Diagnostics.Unstable);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownTypes.From(start.Compilation) is not { } types)
            {
                return;
            }

            start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, types), SymbolKind.Method);
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, types), OperationKind.Invocation);
        });
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownTypes types)
    {
        var method = (IMethodSymbol)context.Symbol;
        foreach (var attribute in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, types.CacheWithTags))
            {
                continue;
            }

            var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? method.Locations.FirstOrDefault();
            var name = Display(method);
            var result = types.ResultOf(method.ReturnType);
            if (result is null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.NothingToCache, location, name, method.ReturnType.ToDisplayString()));
            }

            if (method.IsGenericMethod)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UnsupportedSignature, location, name, "is generic (its type arguments are not part of the key)"));
            }

            foreach (var parameter in method.Parameters.Where(p => p.RefKind is RefKind.Ref or RefKind.Out))
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UnsupportedSignature, location, name, $"takes '{parameter.Name}' by {(parameter.RefKind == RefKind.Out ? "out" : "ref")} (a cached result cannot set it)"));
            }

            if (result is not null && types.QueryKind(result) is { } kind)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.NotAValue, location, name, result.ToDisplayString(), kind));
            }

            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array)
            {
                foreach (var tag in attribute.ConstructorArguments[0].Values)
                {
                    if (tag.Value is string template)
                    {
                        Check(context, location, method, name, template, "Tag", result);
                    }
                }
            }

            var hasKey = false;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Key" && named.Value.Value is string key)
                {
                    hasKey = true;
                    Check(context, location, method, name, key, "Key", result: null);
                }
            }

            if (!hasKey && !method.IsGenericMethod)
            {
                foreach (var parameter in Formatting.UnstableInDefaultKey(method))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Diagnostics.Unstable,
                        location,
                        "The default key",
                        name,
                        $"parameter '{parameter.Name}'",
                        parameter.Type.ToDisplayString(),
                        $"set a Key template naming stable members instead, e.g. Key = \"{method.Name}_{{{parameter.Name}.Id}}\""));
                }
            }
        }
    }

    /// <summary>Checks each placeholder of a template: its parameter (or the result, in a tag), then each member after it.</summary>
    private static void Check(SymbolAnalysisContext context, Location? location, IMethodSymbol method, string name, string template, string kind, ITypeSymbol? result)
    {
        foreach (var path in Templates.Placeholders(template))
        {
            var head = path[0];
            ITypeSymbol? type;
            if (head == "result")
            {
                if (kind == "Key")
                {
                    context.ReportDiagnostic(Diagnostic.Create(Diagnostics.ResultInKey, location, template, name));
                    continue;
                }

                type = result;
            }
            else if (method.Parameters.FirstOrDefault(p => p.Name == head) is { } parameter)
            {
                type = parameter.Type;
            }
            else
            {
                var candidates = method.Parameters.Select(p => p.Name).Concat(kind == "Tag" && result is not null ? new[] { "result" } : Array.Empty<string>()).ToList();
                context.ReportDiagnostic(Diagnostic.Create(
                    Diagnostics.UnknownName,
                    location,
                    Fix(template, path, 0, Nearest(head, candidates)),
                    kind,
                    template,
                    name,
                    $"{{{head}}} names no parameter of {method.Name}{Suggest(head, candidates, "{", "}")}"));
                continue;
            }

            for (var i = 1; i < path.Count && type is not null; i++)
            {
                if (type.TypeKind is TypeKind.TypeParameter or TypeKind.Dynamic or TypeKind.Error || type.SpecialType == SpecialType.System_Object)
                {
                    break;
                }

                var members = Members(type).ToList();
                var member = members.FirstOrDefault(m => m.Name == path[i]);
                if (member is null)
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Diagnostics.UnknownName,
                        location,
                        Fix(template, path, i, Nearest(path[i], members.Select(m => m.Name))),
                        kind,
                        template,
                        name,
                        $"{type.ToDisplayString()} has no public property or field '{path[i]}'{Suggest(path[i], members.Select(m => m.Name), "'", "'")}"));
                    break;
                }

                type = member switch
                {
                    IPropertySymbol property => property.Type,
                    IFieldSymbol field => field.Type,
                    _ => null,
                };
                if (i == path.Count - 1 && type is not null)
                {
                    ReportIfUnstable(context, location, name, template, kind, string.Join(".", path), type);
                }
            }

            if (path.Count == 1 && type is not null)
            {
                ReportIfUnstable(context, location, name, template, kind, head, type);
            }
        }
    }

    private static void ReportIfUnstable(SymbolAnalysisContext context, Location? location, string name, string template, string kind, string placeholder, ITypeSymbol type)
    {
        if (Formatting.IsStable(type) == false && type.SpecialType != SpecialType.System_Object)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Diagnostics.Unstable,
                location,
                $"{kind} template \"{template}\"",
                name,
                $"{{{placeholder}}}",
                type.ToDisplayString(),
                "name one of its stable members instead, e.g. {" + placeholder + ".Id}"));
        }
    }

    /// <summary>A call of a cached method on <c>this</c> (explicit or implied) inside the class that implements it.</summary>
    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes types)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (invocation.Instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            return;
        }

        var target = invocation.TargetMethod.OriginalDefinition;
        var type = target.ContainingType;
        if (type is null || !IsCached(target, type, types))
        {
            return;
        }

        var caller = context.ContainingSymbol as IMethodSymbol;
        var service = type.AllInterfaces.FirstOrDefault(i => i.GetMembers().OfType<IMethodSymbol>().Any(m => SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(m), target)));
        context.ReportDiagnostic(Diagnostic.Create(
            Diagnostics.SelfCall,
            invocation.Syntax.GetLocation(),
            caller is null ? type.Name : $"{type.Name}.{caller.Name}",
            $"{target.Name}",
            service?.Name ?? type.Name));
    }

    private static bool IsCached(IMethodSymbol method, INamedTypeSymbol type, KnownTypes types)
    {
        if (HasAttribute(method, types))
        {
            return true;
        }

        foreach (var service in type.AllInterfaces)
        {
            foreach (var member in service.GetMembers().OfType<IMethodSymbol>())
            {
                if (HasAttribute(member, types) && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HasAttribute(IMethodSymbol method, KnownTypes types) =>
        method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, types.CacheWithTags));

    private static IEnumerable<ISymbol> Members(ITypeSymbol type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var types = new List<ITypeSymbol>();
        for (var current = type; current is not null; current = current.BaseType)
        {
            types.Add(current);
        }

        types.AddRange(type.AllInterfaces);
        foreach (var candidate in types)
        {
            foreach (var member in candidate.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public, IsIndexer: false } or IFieldSymbol { IsStatic: false, DeclaredAccessibility: Accessibility.Public }
                    && seen.Add(member.Name))
                {
                    yield return member;
                }
            }
        }
    }

    private static string Suggest(string name, IEnumerable<string> candidates, string open, string close) =>
        Nearest(name, candidates) is { } nearest ? $"; did you mean {open}{nearest}{close}?" : ".";

    private static string? Nearest(string name, IEnumerable<string> candidates) => candidates
        .Select(c => (Name: c, Distance: Templates.Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
        .Where(c => c.Distance <= Math.Max(2, name.Length / 3))
        .OrderBy(c => c.Distance)
        .Select(c => c.Name)
        .FirstOrDefault();

    /// <summary>What the code fix needs: the template as written and as corrected (the path's segment replaced by the nearest name).</summary>
    private static ImmutableDictionary<string, string?> Fix(string template, IReadOnlyList<string> path, int segment, string? nearest)
    {
        if (nearest is null)
        {
            return ImmutableDictionary<string, string?>.Empty;
        }

        var written = "{" + string.Join(".", path);
        var corrected = "{" + string.Join(".", path.Select((s, i) => i == segment ? nearest : s));
        var at = template.IndexOf(written, StringComparison.Ordinal);
        return at < 0 ? ImmutableDictionary<string, string?>.Empty : ImmutableDictionary<string, string?>.Empty
            .Add(FixProperties.Template, template)
            .Add(FixProperties.Corrected, template.Substring(0, at) + corrected + template.Substring(at + written.Length));
    }

    private static string Display(IMethodSymbol method) => $"{method.ContainingType?.Name}.{method.Name}";
}
