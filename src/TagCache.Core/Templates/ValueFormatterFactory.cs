using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace TagCache.Templates;

/// <summary>
/// Decides, once per type, how values are written. Only types whose text is stable and fully describes the value
/// are accepted: <c>object.ToString()</c> of an arbitrary class is neither, and would make colliding keys.
/// </summary>
internal static class ValueFormatterFactory
{
    public const string SupportedTypes =
        "supported: string, char, bool, integers, floating point, decimal, enums, Guid, DateTime, DateTimeOffset, DateOnly, TimeOnly, TimeSpan, " +
        "their nullable forms, and arrays, lists, sets and immutable collections of these (a class of your own is not supported, even if it is enumerable; " +
        "under Native AOT, collections are not supported either)";

    // Sequences whose value is their elements and nothing else. A type merely implementing IEnumerable<T> (a filter class
    // with an IncludeDeleted flag, a class derived from List<T>) would be keyed by its elements alone and share entries
    // with a differently configured instance, so only these exact types (and the interfaces below) are written as [a,b].
    private static readonly FrozenSet<Type> ValueSequences = new[]
    {
        typeof(IEnumerable<>), typeof(IReadOnlyCollection<>), typeof(IReadOnlyList<>), typeof(ICollection<>), typeof(IList<>),
        typeof(ISet<>), typeof(IReadOnlySet<>), typeof(List<>), typeof(HashSet<>), typeof(SortedSet<>), typeof(LinkedList<>),
        typeof(Queue<>), typeof(Stack<>), typeof(ReadOnlyCollection<>), typeof(ImmutableList<>), typeof(ImmutableHashSet<>),
        typeof(ImmutableSortedSet<>), typeof(ImmutableQueue<>), typeof(ImmutableStack<>), typeof(IImmutableList<>),
        typeof(IImmutableSet<>), typeof(FrozenSet<>),
    }.ToFrozenSet();

    /// <summary>A <c>ValueFormatter&lt;type&gt;</c>, or null when the type has no stable formatting.</summary>
    public static object? TryCreate(Type type, TemplateKind kind, ValueEscaper? escaper)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return AheadOfTimeWriters.TryCreate(type, kind, escaper);
        }

        if (TextFormatter(type, escaper) is { } text)
        {
            return text;
        }

        if (type.IsEnum)
        {
            return Make(typeof(EnumFormatter<>), [type], kind == TemplateKind.Key ? "D" : "G", escaper);
        }

        if (ScalarTypes.Of(type) is { } scalar)
        {
            return Make(typeof(SpanFormattableFormatter<>), [type], scalar.Format, escaper);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TryCreate(underlying, kind, escaper) is { } inner ? Make(typeof(NullableFormatter<>), [underlying], inner) : null;
        }

        if (type.IsSZArray)
        {
            var elementType = type.GetElementType()!;
            return TryCreate(elementType, kind, escaper?.Elements) is { } element ? Make(typeof(ArrayFormatter<>), [elementType], element, kind == TemplateKind.Key) : null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>))
        {
            // A struct: default(ImmutableArray<T>) holds no array and cannot be enumerated, so it is written as null.
            var elementType = type.GetGenericArguments()[0];
            return TryCreate(elementType, kind, escaper?.Elements) is { } element
                ? Make(typeof(ImmutableArrayFormatter<>), [elementType], element, kind == TemplateKind.Key)
                : null;
        }

        if (SequenceElementType(type) is { } itemType)
        {
            return TryCreate(itemType, kind, escaper?.Elements) is { } element
                ? Make(typeof(EnumerableFormatter<,>), [type, itemType], element, kind == TemplateKind.Key)
                : null;
        }

        return null;
    }

    /// <summary>The formatter of a type written as text without a format string (string, char, bool); null for any other.</summary>
    public static ValueWriter? TextFormatter(Type type, ValueEscaper? escaper) =>
        type == typeof(string) ? new StringFormatter(escaper)
        : type == typeof(char) ? new CharFormatter(escaper)
        : type == typeof(bool) ? new BooleanFormatter(escaper)
        : null;

    public static bool IsSupported(Type type) => TryCreate(type, TemplateKind.Tag, escaper: null) is not null;

    private static Type? SequenceElementType(Type type) =>
        type.IsGenericType && ValueSequences.Contains(type.GetGenericTypeDefinition()) ? type.GetGenericArguments()[0] : null;

    private static object Make(Type definition, Type[] arguments, params object?[] constructorArguments) =>
        Activator.CreateInstance(definition.MakeGenericType(arguments), constructorArguments)!;
}
