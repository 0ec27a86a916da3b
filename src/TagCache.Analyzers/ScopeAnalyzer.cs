using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace TagCache.Analyzers;

/// <summary>
/// A cached method that reads an injected dependency that looks like per-request state (a tenant, a user, a principal, an
/// HTTP context) when the project never declares that its keys vary by it (<c>scope.VaryBy((TenantContext t) =&gt; ...)</c>):
/// one tenant's or user's value would be served to another. A warning: the container build checks registrations for
/// certain; this sees what the code reads.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScopeAnalyzer : DiagnosticAnalyzer
{
    // Names of per-request state; data access and services that merely mention tenants or users are not it.
    private static readonly string[] ScopeLike = ["Tenant", "Principal", "HttpContext", "Claims", "CurrentUser", "UserContext", "UserAccessor", "RequestContext"];
    private static readonly string[] NotState = ["Repository", "Store", "Service", "Client", "Factory", "Options", "Settings", "Cache", "Manager"];

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Diagnostics.ScopeStateRead);

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

            var variedBy = new ConcurrentDictionary<ITypeSymbol, byte>(SymbolEqualityComparer.Default);
            var reads = new ConcurrentBag<(IMethodSymbol Method, ITypeSymbol State, Location Location)>();
            start.RegisterOperationAction(
                operation =>
                {
                    // VaryBy((TenantContext t) => t.Id): the lambda's parameter types are what keys vary by.
                    var invocation = (IInvocationOperation)operation.Operation;
                    if (invocation.TargetMethod.Name != "VaryBy")
                    {
                        return;
                    }

                    foreach (var argument in invocation.Arguments)
                    {
                        if (argument.Value.Descendants().Prepend(argument.Value).OfType<IAnonymousFunctionOperation>().FirstOrDefault() is { } lambda)
                        {
                            foreach (var parameter in lambda.Symbol.Parameters)
                            {
                                variedBy.TryAdd(parameter.Type, 0);
                            }
                        }
                    }

                    foreach (var type in invocation.TargetMethod.TypeArguments)
                    {
                        variedBy.TryAdd(type, 0);
                    }
                },
                OperationKind.Invocation);

            start.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || method.ContainingType is not { } type || !IsCachedImplementation(method, type, types))
                {
                    return;
                }

                block.RegisterOperationAction(
                    operation =>
                    {
                        var (symbol, stateType) = operation.Operation switch
                        {
                            IFieldReferenceOperation { Instance: IInstanceReferenceOperation, Field: var field } => ((ISymbol?)field, field.Type),
                            IPropertyReferenceOperation { Instance: IInstanceReferenceOperation, Property: var property } => (property, property.Type),
                            IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } } parameter } => (parameter, parameter.Type),
                            _ => (null, null!),
                        };
                        if (symbol is not null && IsScopeLike(stateType))
                        {
                            reads.Add((method, stateType, operation.Operation.Syntax.GetLocation()));
                        }
                    },
                    OperationKind.FieldReference,
                    OperationKind.PropertyReference,
                    OperationKind.ParameterReference);
            });

            start.RegisterCompilationEndAction(end =>
            {
                foreach (var read in reads.GroupBy(r => (r.Method, r.State), ReadComparer.Instance))
                {
                    if (!variedBy.ContainsKey(read.Key.State))
                    {
                        var first = read.OrderBy(r => r.Location.SourceSpan.Start).First();
                        end.ReportDiagnostic(Diagnostic.Create(
                            Diagnostics.ScopeStateRead,
                            first.Location,
                            $"{read.Key.Method.ContainingType?.Name}.{read.Key.Method.Name}",
                            read.Key.State.ToDisplayString(),
                            read.Key.State.Name));
                    }
                }
            });
        });
    }

    private static bool IsScopeLike(ITypeSymbol? type) =>
        type is not null && type.SpecialType == SpecialType.None && type.TypeKind is TypeKind.Class or TypeKind.Interface or TypeKind.Struct
        && Array.Exists(ScopeLike, word => type.Name.IndexOf(word, StringComparison.Ordinal) >= 0)
        && !Array.Exists(NotState, word => type.Name.EndsWith(word, StringComparison.Ordinal));

    private static bool IsCachedImplementation(IMethodSymbol method, INamedTypeSymbol type, KnownTypes types) =>
        method.MethodKind == MethodKind.Ordinary && type.TypeKind == TypeKind.Class
        && type.AllInterfaces.SelectMany(i => i.GetMembers().OfType<IMethodSymbol>())
            .Any(m => m.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, types.CacheWithTags))
                && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(m), method));

    private sealed class ReadComparer : IEqualityComparer<(IMethodSymbol Method, ITypeSymbol State)>
    {
        public static readonly ReadComparer Instance = new();

        public bool Equals((IMethodSymbol Method, ITypeSymbol State) x, (IMethodSymbol Method, ITypeSymbol State) y) =>
            SymbolEqualityComparer.Default.Equals(x.Method, y.Method) && SymbolEqualityComparer.Default.Equals(x.State, y.State);

        public int GetHashCode((IMethodSymbol Method, ITypeSymbol State) read) =>
            (SymbolEqualityComparer.Default.GetHashCode(read.Method) * 397) ^ SymbolEqualityComparer.Default.GetHashCode(read.State);
    }
}
