using System.Linq;
using Microsoft.CodeAnalysis;

namespace TagCache.Analyzers;

/// <summary>The types the analyzer compares with, found once per compilation; null when TagCache is not referenced.</summary>
internal sealed class KnownTypes
{
    private KnownTypes(Compilation compilation, INamedTypeSymbol cacheWithTags)
    {
        CacheWithTags = cacheWithTags;
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        Queryable = compilation.GetTypeByMetadataName("System.Linq.IQueryable");
        AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
    }

    public INamedTypeSymbol CacheWithTags { get; }

    private INamedTypeSymbol? Task { get; }

    private INamedTypeSymbol? TaskOfT { get; }

    private INamedTypeSymbol? ValueTask { get; }

    private INamedTypeSymbol? ValueTaskOfT { get; }

    private INamedTypeSymbol? Queryable { get; }

    private INamedTypeSymbol? AsyncEnumerable { get; }

    public static KnownTypes? From(Compilation compilation) =>
        compilation.GetTypeByMetadataName("TagCache.CacheWithTagsAttribute") is { } attribute ? new KnownTypes(compilation, attribute) : null;

    /// <summary>The value a method's result holds (its task's result); null when it has none (void, Task, ValueTask).</summary>
    public ITypeSymbol? ResultOf(ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Void || Same(type, Task) || Same(type, ValueTask))
        {
            return null;
        }

        return type is INamedTypeSymbol { IsGenericType: true } named && (Same(named.OriginalDefinition, TaskOfT) || Same(named.OriginalDefinition, ValueTaskOfT))
            ? named.TypeArguments[0]
            : type;
    }

    /// <summary>"query" or "stream" when values of <paramref name="type"/> run when enumerated; null otherwise.</summary>
    public string? QueryKind(ITypeSymbol type)
    {
        if (Queryable is not null && (Same(type, Queryable) || type.AllInterfaces.Any(i => Same(i, Queryable))))
        {
            return "query";
        }

        if (AsyncEnumerable is not null && ((type is INamedTypeSymbol named && Same(named.OriginalDefinition, AsyncEnumerable)) || type.AllInterfaces.Any(i => Same(i.OriginalDefinition, AsyncEnumerable))))
        {
            return "stream";
        }

        return null;
    }

    private static bool Same(ITypeSymbol? a, ITypeSymbol? b) => a is not null && b is not null && SymbolEqualityComparer.Default.Equals(a, b);
}
