using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TagCache.Analyzers;

namespace TagCache.Analyzers.CodeFixes;

/// <summary>TC1003's fix: the misspelt parameter or member in the template, replaced by the nearest name.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TemplateFix))]
[Shared]
public sealed class TemplateFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Diagnostics.UnknownName.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixProperties.Template, out var template) || !diagnostic.Properties.TryGetValue(FixProperties.Corrected, out var corrected)
                || template is null || corrected is null || root?.FindNode(diagnostic.Location.SourceSpan) is not { } node)
            {
                continue;
            }

            var literal = node.DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>().FirstOrDefault(l => l.Token.ValueText == template);
            if (literal is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    $"Use \"{corrected}\"",
                    token => Replace(context.Document, root, literal, corrected, token),
                    equivalenceKey: nameof(TemplateFix)),
                diagnostic);
        }
    }

    private static Task<Document> Replace(Document document, SyntaxNode root, LiteralExpressionSyntax literal, string corrected, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(corrected)).WithTriviaFrom(literal);
        return Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(literal, replacement)));
    }
}
