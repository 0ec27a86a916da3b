using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TagCache.Analyzers;

/// <summary>
/// An <c>[InvalidateTags]</c> template that no <c>[CacheWithTags]</c> tag template of its cache in this project can
/// produce (nor a tag declared with <c>options.DeclareTags</c>): usually a misspelling or a missing <c>Cache = "..."</c>. The
/// same comparison as the container build's; a warning here, since cached methods in other projects are not seen.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidationAnalyzer : DiagnosticAnalyzer
{
    private const string DefaultCache = "default";

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.MatchesNothing);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var cacheWithTags = start.Compilation.GetTypeByMetadataName("TagCache.CacheWithTagsAttribute");
            var invalidateTags = start.Compilation.GetTypeByMetadataName("TagCache.InvalidateTagsAttribute");
            if (cacheWithTags is null || invalidateTags is null)
            {
                return;
            }

            var cached = new ConcurrentBag<(string Cache, TagShapes Shape)>();
            var invalidations = new ConcurrentBag<(string Cache, string Template, TagShapes Shape, Location? Location, string Method)>();
            var declaresTags = 0;
            start.RegisterSymbolAction(
                symbol =>
                {
                    var method = (IMethodSymbol)symbol.Symbol;
                    foreach (var attribute in method.GetAttributes())
                    {
                        var isCached = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, cacheWithTags);
                        var invalidates = SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, invalidateTags);
                        if (!isCached && !invalidates)
                        {
                            continue;
                        }

                        var cache = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Cache").Value.Value as string ?? DefaultCache;
                        foreach (var template in Tags(attribute))
                        {
                            if (TagShapes.Parse(template) is not { } shape)
                            {
                                continue;
                            }

                            if (isCached)
                            {
                                cached.Add((cache, shape));
                            }
                            else
                            {
                                var location = attribute.ApplicationSyntaxReference?.GetSyntax(symbol.CancellationToken).GetLocation();
                                invalidations.Add((cache, template, shape, location, $"{method.ContainingType?.Name}.{method.Name}"));
                            }
                        }
                    }
                },
                SymbolKind.Method);

            // Tags made at run time are declared to the build with options.DeclareTags: then this project cannot tell.
            start.RegisterOperationAction(
                operation =>
                {
                    if (((IInvocationOperation)operation.Operation).TargetMethod.Name == "DeclareTags")
                    {
                        System.Threading.Interlocked.Exchange(ref declaresTags, 1);
                    }
                },
                OperationKind.Invocation);

            start.RegisterCompilationEndAction(end =>
            {
                if (System.Threading.Volatile.Read(ref declaresTags) == 1)
                {
                    return;
                }

                var all = cached.ToList();
                foreach (var invalidation in invalidations)
                {
                    var sameCache = all.Where(c => c.Cache == invalidation.Cache).Select(c => c.Shape).ToList();
                    if (sameCache.Any(s => s.Overlaps(invalidation.Shape)))
                    {
                        continue;
                    }

                    var elsewhere = all.FirstOrDefault(c => c.Shape.Overlaps(invalidation.Shape));
                    var hint = elsewhere.Shape is not null
                        ? $"did you mean cache '{elsewhere.Cache}', where {elsewhere.Shape} is cached? Then set Cache = \"{elsewhere.Cache}\""
                        : TagShapes.Nearest(invalidation.Shape, sameCache) is { } nearest
                            ? $"did you mean {nearest}?"
                            : "no cached method of this project has tags in that cache; if entries get them at run time, declare them with options.DeclareTags";
                    end.ReportDiagnostic(Diagnostic.Create(Diagnostics.MatchesNothing, invalidation.Location, invalidation.Template, invalidation.Method, invalidation.Cache, hint));
                }
            });
        });
    }

    private static System.Collections.Generic.IEnumerable<string> Tags(AttributeData attribute) =>
        attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Kind == TypedConstantKind.Array
            ? attribute.ConstructorArguments[0].Values.Select(v => v.Value).OfType<string>()
            : Enumerable.Empty<string>();
}
