using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TagCache.Analyzers.Generation;

/// <summary>
/// Writes a decorator for every service interface the project passes to <c>services.AddTagCaching&lt;TService&gt;()</c>:
/// a class implementing the interface that calls TagCache's pipeline directly (no Castle, no run-time code generation, no
/// reflection per call), which <c>AddTagCaching</c> then uses instead of a Castle proxy. The interface may live in another
/// assembly; what decides is the call. An interface the decorator cannot implement by forwarding (a generic method, a
/// <c>ref</c>/<c>out</c>/<c>in</c> parameter, a by-ref return, a ref struct) gets none, and is told (TC1010): its
/// registration keeps the Castle proxy, which a Native AOT application cannot make.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DecoratorGenerator : IIncrementalGenerator
{
    private const string ExtensionsType = "Microsoft.Extensions.DependencyInjection.TagCacheServiceCollectionExtensions";
    private const string RegistryType = "TagCache.Interception.Generated.TagCacheDecorators";

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var services = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "AddTagCaching" } } }
                    or InvocationExpressionSyntax { Expression: GenericNameSyntax { Identifier.ValueText: "AddTagCaching" } },
                static (syntax, cancellation) => ServiceOf(syntax, cancellation))
            .Where(static service => service is not null)
            .Collect();

        var available = context.CompilationProvider.Select(static (compilation, _) => compilation.GetTypeByMetadataName(RegistryType) is not null);

        // Implementations whose methods carry the attributes: TagCache reads those attributes by reflection when it plans a
        // registration, so a trimmed or Native AOT application must keep the methods (of any class here, registered anywhere).
        var cached = context.SyntaxProvider.ForAttributeWithMetadataName("TagCache.CacheWithTagsAttribute", static (node, _) => node is MethodDeclarationSyntax, static (attributed, _) => ImplementationOf(attributed));
        var invalidating = context.SyntaxProvider.ForAttributeWithMetadataName("TagCache.InvalidateTagsAttribute", static (node, _) => node is MethodDeclarationSyntax, static (attributed, _) => ImplementationOf(attributed));
        var implementations = cached.Collect().Combine(invalidating.Collect());
        context.RegisterSourceOutput(implementations.Combine(available), static (output, input) =>
        {
            var ((cachedTypes, invalidatingTypes), registryAvailable) = input;
            var types = cachedTypes.Concat(invalidatingTypes).Where(t => t is not null).Distinct().OrderBy(t => t, System.StringComparer.Ordinal).ToArray();
            if (registryAvailable && types.Length > 0)
            {
                output.AddSource("TagCacheReflectionRoots.g.cs", ReflectionRoots.Write(types!));
            }
        });

        context.RegisterSourceOutput(services.Combine(available), static (output, input) =>
        {
            var (found, registryAvailable) = input;
            if (!registryAvailable)
            {
                return;
            }

            foreach (var service in found.Distinct())
            {
                if (service!.Refusal is { } refusal)
                {
                    output.ReportDiagnostic(Diagnostic.Create(Diagnostics.NoDecorator, refusal.Location.ToLocation(), service.DisplayName, refusal.Reason));
                }
                else
                {
                    output.AddSource(service.HintName, service.Source!);
                }
            }
        });
    }

    /// <summary>The class declaring an attributed method, as <c>typeof</c> writes it (open if generic); null for an interface or a type generated code cannot name.</summary>
    private static string? ImplementationOf(GeneratorAttributeSyntaxContext attributed)
    {
        if (attributed.TargetSymbol.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } type
            || !attributed.SemanticModel.Compilation.IsSymbolAccessibleWithin(type, attributed.SemanticModel.Compilation.Assembly))
        {
            return null;
        }

        return type.IsGenericType ? type.ConstructUnboundGenericType().ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
    }

    private static ServiceDecorator? ServiceOf(GeneratorSyntaxContext syntax, CancellationToken cancellation)
    {
        if (syntax.SemanticModel.GetSymbolInfo(syntax.Node, cancellation).Symbol is not IMethodSymbol { Name: "AddTagCaching", ContainingType: { } extensions } method
            || method.TypeArguments.Length != 1
            || method.TypeArguments[0] is not INamedTypeSymbol { TypeKind: TypeKind.Interface } service
            || extensions.ToDisplayString() != ExtensionsType
            || !syntax.SemanticModel.Compilation.IsSymbolAccessibleWithin(service, syntax.SemanticModel.Compilation.Assembly)
            || service.IsUnboundGenericType
            || service.TypeArguments.Any(a => a is ITypeParameterSymbol))
        {
            return null;
        }

        return DecoratorWriter.Write(service, syntax.Node.GetLocation(), cancellation);
    }
}
