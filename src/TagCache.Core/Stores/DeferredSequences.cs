using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace TagCache.Stores;

/// <summary>
/// Tells a deferred sequence (a LINQ query, an iterator method, a database query) from a value. Caching a deferred
/// sequence caches the query, which runs again, against fresh data, on every enumeration: a hit would not be a hit.
/// </summary>
internal static class DeferredSequences
{
    /// <summary>Gets a value indicating whether <paramref name="value"/> runs when enumerated instead of holding its elements.</summary>
    public static bool IsDeferred(object? value)
    {
        if (value is not IEnumerable || value is string)
        {
            return false;
        }

        var type = value.GetType();

        // LINQ's operators return internal iterator types; some of them also implement IList<T>, and still re-run their
        // source and selector on every access.
        if (!type.IsPublic && !type.IsNestedPublic && type.Assembly == typeof(Enumerable).Assembly)
        {
            return true;
        }

        // Whatever knows its count holds its elements (arrays, lists, sets, immutable collections, dictionaries, the
        // compiler's collection-expression types); an iterator method (yield return) or a database query does not.
        return value is not ICollection && !ImplementsGeneric(type, typeof(IReadOnlyCollection<>)) && !ImplementsGeneric(type, typeof(ICollection<>));
    }

    /// <summary>The advice every refusal gives.</summary>
    public static string Describe(object value) =>
        $"a deferred sequence ({value.GetType()}), which would run again, against current data, every time the cached value is enumerated. " +
        "Materialise it before returning, e.g. return query.ToList(), or return IReadOnlyList<T> so callers can see it is a value";

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private static bool ImplementsGeneric(Type type, Type definition)
    {
        foreach (var candidate in type.GetInterfaces())
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition)
            {
                return true;
            }
        }

        return false;
    }
}
