using System.Diagnostics.CodeAnalysis;
using System.Linq.Expressions;
using System.Reflection;

namespace TagCache.Templates;

/// <summary>Reads a member path from a non-null root; false when a value along the path is null.</summary>
internal delegate bool MemberGetter<T>(object root, out T value);

/// <summary>Resolves <c>a.B.C</c> to members once and compiles a getter, so calls never use reflection.</summary>
internal static class MemberPath
{
    /// <summary>The public instance property (non-indexed, readable) or field named <paramref name="name"/>, or null.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = Reflected.KeptByGenerator)]
    public static MemberInfo? Find(Type type, string name)
    {
        foreach (var t in SearchedTypes(type))
        {
            // DeclaredOnly per level so a property hidden with 'new' resolves to the most derived one, without AmbiguousMatchException.
            const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
            var property = t.GetProperties(flags).FirstOrDefault(p => p.Name == name && IsReadable(p));
            if (property is not null)
            {
                return property;
            }

            var field = t.GetField(name, flags);
            if (field is not null)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>The names <see cref="Find"/> accepts, for error messages.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Reflected.KeptByGenerator)]
    public static IReadOnlyList<string> Available(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        return [.. SearchedTypes(type)
            .SelectMany(t => t.GetProperties(flags).Where(IsReadable).Select(p => p.Name).Concat(t.GetFields(flags).Select(f => f.Name)))
            .Distinct()
            .Order(StringComparer.Ordinal)];
    }

    /// <summary>The type whose members a path step uses: a nullable struct is looked through, its null checked on the way.</summary>
    public static Type Lift(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    public static Type MemberType(MemberInfo member) => member switch
    {
        PropertyInfo p => p.PropertyType,
        FieldInfo f => f.FieldType,
        _ => throw new ArgumentOutOfRangeException(nameof(member), member, "Only properties and fields are supported."),
    };

    /// <summary>Compiles <c>(object root, out TLeaf value) =&gt; ...</c> returning a <see cref="MemberGetter{T}"/>.</summary>
    public static Delegate Compile(Type rootType, IReadOnlyList<MemberInfo> path)
    {
        var leafType = MemberType(path[^1]);
        var root = Expression.Parameter(typeof(object), "root");
        var value = Expression.Parameter(leafType.MakeByRefType(), "value");
        var done = Expression.Label(typeof(bool), "done");
        Expression returnNull = Expression.Block(
            Expression.Assign(value, Expression.Default(leafType)),
            Expression.Return(done, Expression.Constant(false)));

        var variables = new List<ParameterExpression>();
        var body = new List<Expression>();

        // The root is never null here (the caller checks), so it is unboxed straight to the underlying type.
        var current = Expression.Variable(Lift(rootType), "v0");
        variables.Add(current);
        body.Add(Expression.Assign(current, Expression.Convert(root, current.Type)));

        for (var i = 0; i < path.Count; i++)
        {
            Expression target = current;
            if (Nullable.GetUnderlyingType(current.Type) is not null)
            {
                body.Add(Expression.IfThen(Expression.Not(Expression.Property(current, "HasValue")), returnNull));
                target = Expression.Call(current, current.Type.GetMethod("GetValueOrDefault", Type.EmptyTypes)!);
            }
            else if (!current.Type.IsValueType)
            {
                body.Add(Expression.IfThen(Expression.ReferenceEqual(current, Expression.Constant(null, current.Type)), returnNull));
            }

            var access = Expression.MakeMemberAccess(target, path[i]);
            if (i == path.Count - 1)
            {
                body.Add(Expression.Assign(value, access));
            }
            else
            {
                current = Expression.Variable(access.Type, "v" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
                variables.Add(current);
                body.Add(Expression.Assign(current, access));
            }
        }

        body.Add(Expression.Label(done, Expression.Constant(true)));
        var delegateType = typeof(MemberGetter<>).MakeGenericType(leafType);
        return Expression.Lambda(delegateType, Expression.Block(typeof(bool), variables, body), root, value).Compile();
    }

    private static bool IsReadable(PropertyInfo property) =>
        property.GetIndexParameters().Length == 0 && property.GetMethod is { IsPublic: true } && !property.PropertyType.IsByRefLike && !property.PropertyType.IsByRef;

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Reflected.KeptByGenerator)]
    private static IEnumerable<Type> SearchedTypes(Type type)
    {
        if (type.IsInterface)
        {
            // Interfaces do not report members of the interfaces they extend.
            return [type, .. type.GetInterfaces()];
        }

        var chain = new List<Type>();
        for (var t = type; t is not null; t = t.BaseType)
        {
            chain.Add(t);
        }

        return chain;
    }
}

/// <summary>
/// Reads a member path by reflection, for Native AOT, where no getter can be compiled: a null along the path (a reference,
/// or a nullable struct without a value, which boxes to null) reads as no value.
/// </summary>
internal sealed class MemberReader(IReadOnlyList<MemberInfo> path)
{
    public bool TryRead(object root, out object? value)
    {
        var current = (object?)root;
        foreach (var member in path)
        {
            if (current is null)
            {
                value = null;
                return false;
            }

            current = member is PropertyInfo property ? property.GetValue(current) : ((FieldInfo)member).GetValue(current);
        }

        value = current;
        return current is not null;
    }
}
