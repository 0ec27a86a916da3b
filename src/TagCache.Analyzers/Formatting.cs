using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TagCache.Analyzers;

/// <summary>
/// Which types a key or tag can write as values: the same table as the runtime's (TagCache.Core's ScalarTypes and
/// ValueFormatterFactory): strings, characters, booleans, numbers, enums, Guid, dates and times, their nullable forms, and
/// arrays and the listed sequence types of those.
/// </summary>
internal static class Formatting
{
    private static readonly HashSet<string> Scalars = new()
    {
        "System.Int128", "System.UInt128", "System.Numerics.BigInteger", "System.Half", "System.Guid", "System.DateTimeOffset",
        "System.DateOnly", "System.TimeOnly", "System.TimeSpan",
    };

    private static readonly HashSet<string> Sequences = new()
    {
        "System.Collections.Generic.IEnumerable<T>", "System.Collections.Generic.IReadOnlyCollection<T>", "System.Collections.Generic.IReadOnlyList<T>",
        "System.Collections.Generic.ICollection<T>", "System.Collections.Generic.IList<T>", "System.Collections.Generic.ISet<T>",
        "System.Collections.Generic.IReadOnlySet<T>", "System.Collections.Generic.List<T>", "System.Collections.Generic.HashSet<T>",
        "System.Collections.Generic.SortedSet<T>", "System.Collections.Generic.LinkedList<T>", "System.Collections.Generic.Queue<T>",
        "System.Collections.Generic.Stack<T>", "System.Collections.ObjectModel.ReadOnlyCollection<T>", "System.Collections.Immutable.ImmutableList<T>",
        "System.Collections.Immutable.ImmutableHashSet<T>", "System.Collections.Immutable.ImmutableSortedSet<T>", "System.Collections.Immutable.ImmutableQueue<T>",
        "System.Collections.Immutable.ImmutableStack<T>", "System.Collections.Immutable.IImmutableList<T>", "System.Collections.Immutable.IImmutableSet<T>",
        "System.Collections.Frozen.FrozenSet<T>", "System.Collections.Immutable.ImmutableArray<T>",
    };

    /// <summary>True when values of <paramref name="type"/> write stable text; null when the type is not known here (a type parameter, an error).</summary>
    public static bool? IsStable(ITypeSymbol type)
    {
        if (type.TypeKind is TypeKind.TypeParameter or TypeKind.Error or TypeKind.Dynamic)
        {
            return null;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String or SpecialType.System_Char or SpecialType.System_Boolean
                or SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
                or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
                or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_Single or SpecialType.System_Double
                or SpecialType.System_Decimal or SpecialType.System_DateTime:
                return true;
        }

        if (type.TypeKind == TypeKind.Enum || Scalars.Contains(type.ToDisplayString()))
        {
            return true;
        }

        if (type is IArrayTypeSymbol { IsSZArray: true } array)
        {
            return IsStable(array.ElementType);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named && named.TypeArguments.Length == 1)
        {
            if (named.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                || Sequences.Contains(named.OriginalDefinition.ToDisplayString()))
            {
                return IsStable(named.TypeArguments[0]);
            }
        }

        return false;
    }

    /// <summary>The parameters a default key writes (every one but a cancellation token) whose type has no stable text.</summary>
    public static IEnumerable<IParameterSymbol> UnstableInDefaultKey(IMethodSymbol method) =>
        method.Parameters.Where(p => p.Type.ToDisplayString() != "System.Threading.CancellationToken" && IsStable(p.Type) == false);
}
