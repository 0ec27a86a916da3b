using System.Reflection;
using System.Text;

namespace TagCache.Templates;

/// <summary>Names in keys and messages: types as the default key writes them, and the nearest name or member a fix suggests.</summary>
internal static partial class TemplateCompiler
{
    /// <summary>The type's name as the default key writes it; also for messages.</summary>
    internal static string DisplayTypeName(Type type) => TypeName(type);

    /// <summary>A placeholder for the fix text: the first member with a stable value, preferring an Id.</summary>
    private static string Suggest(string path, Type type)
    {
        var owner = MemberPath.Lift(type);
        var members = MemberPath.Available(owner);
        var pick = members
            .Where(m => MemberPath.Find(owner, m) is { } info && ValueFormatterFactory.IsSupported(MemberPath.MemberType(info)))
            .OrderBy(m => m == "Id" ? 0 : m.EndsWith("Id", StringComparison.Ordinal) ? 1 : 2)
            .FirstOrDefault();
        return "{" + path + "." + (pick ?? "Id") + "}";
    }

    private static string? Closest(string name, IEnumerable<string> candidates) =>
        candidates
            .Select(c => (Name: c, Distance: Distance(name.ToUpperInvariant(), c.ToUpperInvariant())))

            // "productId" most likely meant "id": a name contained in the other beats a merely short edit distance.
            .OrderBy(c => Contains(name, c.Name) ? 0 : 1)
            .ThenBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();

    private static bool Contains(string a, string b) =>
        a.Contains(b, StringComparison.OrdinalIgnoreCase) || b.Contains(a, StringComparison.OrdinalIgnoreCase);

    private static int Distance(string a, string b) => EditDistance.Of<char>(a, b);

    /// <summary>Namespace-qualified name with generic arguments written out, e.g. <c>Ns.Repo`1&lt;System.Int32&gt;</c>.</summary>
    private static string TypeName(Type type)
    {
        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!) + "&";
        }

        if (type.IsArray)
        {
            return TypeName(type.GetElementType()!) + (type.IsSZArray ? "[]" : "[" + new string(',', type.GetArrayRank() - 1) + "]");
        }

        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!) + "*";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            return (definition.FullName ?? definition.Name) + "<" + string.Join(',', type.GetGenericArguments().Select(TypeName)) + ">";
        }

        return type.FullName ?? type.Name;
    }
}
