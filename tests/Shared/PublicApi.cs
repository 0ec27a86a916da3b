// Shared by the library test projects (linked, not referenced): each checks its library's public surface.
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace TagCache.Testing;

/// <summary>
/// Writes an assembly's public surface as sorted signatures, one per line, and compares it with the library's
/// <c>PublicAPI.txt</c>: a public member added, removed or changed without updating the file fails the test, with the diff
/// and the command that updates the file.
/// </summary>
public static class PublicApi
{
    public const string UpdateVariable = "TAGCACHE_UPDATE_PUBLIC_API";

    /// <summary>Compares the surface of <paramref name="assembly"/> with <c>src/&lt;name&gt;/PublicAPI.txt</c>; rewrites the file when asked to.</summary>
    /// <returns>null when they match (or the file was updated); otherwise the message to fail with.</returns>
    public static string? Check(Assembly assembly, string testProject)
    {
        var name = assembly.GetName().Name!;
        var file = Path.Combine(RepositoryRoot(), "src", name, "PublicAPI.txt");
        var actual = Describe(assembly);
        var expected = File.Exists(file) ? File.ReadAllLines(file).Where(l => l.Length > 0).ToArray() : [];
        if (actual.SequenceEqual(expected, StringComparer.Ordinal))
        {
            return null;
        }

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllLines(file, actual);
            return null;
        }

        var added = actual.Except(expected, StringComparer.Ordinal).Select(l => "+ " + l);
        var removed = expected.Except(actual, StringComparer.Ordinal).Select(l => "- " + l);
        return $"The public API of {name} differs from src/{name}/PublicAPI.txt:{Environment.NewLine}" +
            string.Join(Environment.NewLine, removed.Concat(added)) + Environment.NewLine +
            $"If the change is deliberate, update the file: {UpdateVariable}=1 dotnet test tests/{testProject} -c Release --filter PublicApi";
    }

    public static string[] Describe(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            lines.Add(TypeLine(type));
            lines.AddRange(Members(type));
        }

        return [.. lines.Distinct().Order(StringComparer.Ordinal)];
    }

    private static string TypeLine(Type type)
    {
        var kind = type.IsInterface ? "interface"
            : type.IsEnum ? "enum"
            : type.IsValueType ? (type.IsByRefLike ? "ref struct" : "struct")
            : typeof(Delegate).IsAssignableFrom(type) ? "delegate"
            : type.IsAbstract && type.IsSealed ? "static class"
            : type.IsSealed ? "sealed class"
            : type.IsAbstract ? "abstract class"
            : "class";
        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType) && baseType != typeof(Enum) && !kind.Equals("delegate", StringComparison.Ordinal))
        {
            bases.Add(Name(baseType));
        }

        bases.AddRange(type.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return $"{kind} {Name(type)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : string.Empty)}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var owner = Name(type);
        var nullability = new NullabilityInfoContext();
        foreach (var member in type.GetMembers(flags))
        {
            if (!IsVisible(member) || member.IsDefined(typeof(CompilerGeneratedAttribute)))
            {
                continue;
            }

            switch (member)
            {
                case ConstructorInfo constructor:
                    yield return $"{owner}.{Simple(type)}({Parameters(constructor, nullability)})";
                    break;
                case MethodInfo method when !method.IsSpecialName:
                    yield return $"{Modifiers(method)}{owner}.{method.Name}{GenericArguments(method)}({Parameters(method, nullability)}) -> {Nullable(method.ReturnParameter, nullability)}";
                    break;
                case PropertyInfo property:
                    var accessors = string.Join(" ", new[] { property.GetMethod, property.SetMethod }
                        .Where(a => a is not null && (a.IsPublic || a.IsFamily || a.IsFamilyOrAssembly))
                        .Select(a => a == property.GetMethod ? "get;" : IsInit(a!) ? "init;" : "set;"));
                    var indexes = property.GetIndexParameters();
                    var index = indexes.Length == 0 ? string.Empty : "[" + string.Join(", ", indexes.Select(p => $"{Name(p.ParameterType)} {p.Name}")) + "]";
                    yield return $"{Modifiers(property.GetMethod ?? property.SetMethod!)}{owner}.{property.Name}{index} {{ {accessors} }} -> {Nullable(property, nullability)}";
                    break;
                case FieldInfo field:
                    var constant = field.IsLiteral ? $" = {Constant(field.GetRawConstantValue())}" : string.Empty;
                    yield return $"{(field.IsStatic && !field.IsLiteral ? "static " : string.Empty)}{(field.IsLiteral ? "const " : field.IsInitOnly ? "readonly " : string.Empty)}{owner}.{field.Name}{constant} -> {Name(field.FieldType)}";
                    break;
                case EventInfo @event:
                    yield return $"event {owner}.{@event.Name} -> {Name(@event.EventHandlerType!)}";
                    break;
                case Type nested when nested.IsNestedPublic:
                    break;
            }
        }
    }

    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase method => method.IsPublic || ((method.IsFamily || method.IsFamilyOrAssembly) && !method.DeclaringType!.IsSealed),
        PropertyInfo property => new[] { property.GetMethod, property.SetMethod }.Any(a => a is not null && IsVisible(a)),
        FieldInfo field => field.IsPublic || ((field.IsFamily || field.IsFamilyOrAssembly) && !field.DeclaringType!.IsSealed),
        EventInfo @event => @event.AddMethod is { } add && IsVisible(add),
        _ => false,
    };

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return "static ";
        }

        if (method.DeclaringType!.IsInterface)
        {
            return string.Empty;
        }

        return method.IsAbstract ? "abstract " : method.IsVirtual && !method.IsFinal && method.GetBaseDefinition() == method ? "virtual " : method.IsVirtual && method.GetBaseDefinition() != method ? "override " : string.Empty;
    }

    private static bool IsInit(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");

    private static string GenericArguments(MethodInfo method) =>
        method.IsGenericMethodDefinition ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => a.Name)) + ">" : string.Empty;

    private static string Parameters(MethodBase method, NullabilityInfoContext nullability)
    {
        var extension = method.IsDefined(typeof(ExtensionAttribute));
        return string.Join(", ", method.GetParameters().Select((p, i) =>
        {
            var text = new StringBuilder();
            if (extension && i == 0)
            {
                text.Append("this ");
            }

            if (p.IsDefined(typeof(ParamArrayAttribute)))
            {
                text.Append("params ");
            }

            if (p.ParameterType.IsByRef)
            {
                text.Append(p.IsOut ? "out " : p.IsIn ? "in " : "ref ");
            }

            text.Append(Nullable(p, nullability)).Append(' ').Append(p.Name);
            if (p.HasDefaultValue)
            {
                text.Append(" = ").Append(p.RawDefaultValue is null && p.ParameterType.IsValueType && System.Nullable.GetUnderlyingType(p.ParameterType) is null ? "default" : Constant(p.RawDefaultValue));
            }

            return text.ToString();
        }));
    }

    private static string Nullable(ParameterInfo parameter, NullabilityInfoContext context) =>
        Annotate(parameter.ParameterType, context.Create(parameter));

    private static string Nullable(PropertyInfo property, NullabilityInfoContext context) =>
        Annotate(property.PropertyType, context.Create(property));

    private static string Annotate(Type type, NullabilityInfo info)
    {
        var element = type.IsByRef ? type.GetElementType()! : type;
        var name = Name(element);
        return !element.IsValueType && info.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }

    private static string Constant(object? value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string Simple(Type type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Name(Type type)
    {
        if (type.IsByRef)
        {
            return Name(type.GetElementType()!);
        }

        if (type.IsArray)
        {
            return Name(type.GetElementType()!) + "[]";
        }

        if (type.IsGenericParameter)
        {
            return type.Name;
        }

        if (System.Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Name(underlying) + "?";
        }

        var keyword = Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => "bool",
            TypeCode.Int32 => "int",
            TypeCode.Int64 => "long",
            TypeCode.String => "string",
            TypeCode.Double => "double",
            TypeCode.Decimal => "decimal",
            _ => type == typeof(object) ? "object" : type == typeof(void) ? "void" : null,
        };
        if (keyword is not null && !type.IsEnum)
        {
            return keyword;
        }

        var prefix = type.IsNested ? Name(type.DeclaringType!) + "." : type.Namespace + ".";
        if (!type.IsGenericType)
        {
            return prefix + type.Name;
        }

        var arguments = type.GetGenericArguments();
        if (type.IsNested)
        {
            arguments = arguments[type.DeclaringType!.GetGenericArguments().Length..];
        }

        return prefix + Simple(type) + (arguments.Length > 0 ? "<" + string.Join(", ", arguments.Select(Name)) + ">" : string.Empty);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "TagCache.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("TagCache.sln not found above " + AppContext.BaseDirectory);
    }
}
