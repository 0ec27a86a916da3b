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
