using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TagCache.Analyzers.Generation;

/// <summary>Writes the decorator of one service interface, or says why it cannot.</summary>
internal static class DecoratorWriter
{
    private const string Generated = "global::TagCache.Interception.Generated.";

    // Signatures carry nullable annotations, so an explicit implementation matches its interface member exactly.
    private static readonly SymbolDisplayFormat Annotated = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
        SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    // typeof() refuses a nullable reference type.
    private static readonly SymbolDisplayFormat Plain = SymbolDisplayFormat.FullyQualifiedFormat;

    public static ServiceDecorator Write(INamedTypeSymbol service, Location registration, CancellationToken cancellation)
    {
        var displayName = service.ToDisplayString();
        var className = ClassName(service);
        var hintName = className + ".g.cs";
        var contracts = new[] { service }.Concat(service.AllInterfaces).ToArray();
        var methods = new List<IMethodSymbol>();
        var properties = new List<IPropertySymbol>();
        var events = new List<IEventSymbol>();
        foreach (var contract in contracts)
        {
            foreach (var member in contract.GetMembers())
            {
                cancellation.ThrowIfCancellationRequested();
                if (member.IsStatic || !(member.IsAbstract || member.IsVirtual))
                {
                    continue;
                }

                switch (member)
                {
                    case IMethodSymbol { MethodKind: MethodKind.Ordinary } method:
                        if (Unsupported(method) is { } reason)
                        {
                            return Refuse(displayName, hintName, registration, $"{contract.Name}.{method.Name} {reason}");
                        }

                        methods.Add(method);
                        break;
                    case IPropertySymbol property:
                        if (property.ReturnsByRef || property.ReturnsByRefReadonly || property.SetMethod is { IsInitOnly: true } || property.Parameters.Any(p => p.RefKind != RefKind.None))
                        {
                            return Refuse(displayName, hintName, registration, $"{contract.Name}.{property.Name} is a by-ref or init-only property");
                        }

                        properties.Add(property);
                        break;
                    case IEventSymbol @event:
                        events.Add(@event);
                        break;
                }
            }
        }

        var disposable = contracts.Any(c => c.ToDisplayString() == "System.IDisposable");
        var asyncDisposable = contracts.Any(c => c.ToDisplayString() == "System.IAsyncDisposable");
        return new ServiceDecorator(displayName, hintName, Source(service, className, methods, properties, events, disposable, asyncDisposable), refusal: null);
    }

    private static ServiceDecorator Refuse(string displayName, string hintName, Location registration, string reason) =>
        new(displayName, hintName, source: null, new Refusal(reason, LocationInfo.From(registration)));

    private static string? Unsupported(IMethodSymbol method)
    {
        if (method.IsGenericMethod)
        {
            return "is generic";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "returns by reference";
        }

        if (method.ReturnType.IsRefLikeType || method.Parameters.Any(p => p.Type.IsRefLikeType))
        {
            return "takes or returns a ref struct";
        }

        if (method.Parameters.Any(p => p.RefKind != RefKind.None))
        {
            return "has a ref, out or in parameter";
        }

        if (method.Parameters.Any(p => p.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer) || method.ReturnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return "takes or returns a pointer";
        }

        return null;
    }

    private static string ClassName(INamedTypeSymbol service)
    {
        var name = new StringBuilder();
        foreach (var c in service.ToDisplayString(Plain).Replace("global::", string.Empty))
        {
            name.Append(char.IsLetterOrDigit(c) ? c : '_');
        }

        return name.Append("_TagCacheDecorator").ToString();
    }

    private static string Source(INamedTypeSymbol service, string className, List<IMethodSymbol> methods, List<IPropertySymbol> properties, List<IEventSymbol> events, bool disposable, bool asyncDisposable)
    {
        var serviceName = service.ToDisplayString(Plain);
        var code = new StringBuilder();
        code.AppendLine("// <auto-generated/> by TagCache's source generator: the decorator AddTagCaching uses instead of a Castle proxy.");
        code.AppendLine("#nullable enable");
        code.AppendLine("#pragma warning disable CS0618, CS0612 // a member marked obsolete is still implemented");
        code.AppendLine("namespace TagCache.Generated");
        code.AppendLine("{");
        var interfaces = serviceName + (disposable ? string.Empty : ", global::System.IDisposable") + (asyncDisposable ? string.Empty : ", global::System.IAsyncDisposable");
        code.AppendLine("    [global::System.CodeDom.Compiler.GeneratedCode(\"TagCache.Analyzers\", \"1.0\")]");
        code.AppendLine("    [global::System.Diagnostics.DebuggerNonUserCode]");
        code.AppendLine($"    internal sealed class {className} : {interfaces}");
        code.AppendLine("    {");
        code.AppendLine($"        private readonly {serviceName} _target;");
        code.AppendLine($"        private readonly {Generated}DecoratorContext _context;");
        for (var i = 0; i < methods.Count; i++)
        {
            code.AppendLine($"        private readonly {Generated}GeneratedMethod<{HandledType(methods[i])}> _m{i};");
        }

        code.AppendLine();
        code.AppendLine($"        public {className}({serviceName} target, {Generated}DecoratorContext context)");
        code.AppendLine("        {");
        code.AppendLine("            _target = target;");
        code.AppendLine("            _context = context;");
        for (var i = 0; i < methods.Count; i++)
        {
            code.AppendLine($"            _m{i} = context.{Accessor(methods[i])}({i});");
        }

        code.AppendLine("        }");
        for (var i = 0; i < methods.Count; i++)
        {
            code.AppendLine();
            WriteMethod(code, methods[i], i);
        }

        foreach (var property in properties)
        {
            code.AppendLine();
            WriteProperty(code, property);
        }

        foreach (var @event in events)
        {
            code.AppendLine();
            WriteEvent(code, @event);
        }

        if (!disposable)
        {
            code.AppendLine();
            code.AppendLine($"        void global::System.IDisposable.Dispose() => {Generated}TagCacheDecorators.Dispose(_target, _context);");
        }

        if (!asyncDisposable)
        {
            code.AppendLine();
            code.AppendLine($"        global::System.Threading.Tasks.ValueTask global::System.IAsyncDisposable.DisposeAsync() => {Generated}TagCacheDecorators.DisposeAsync(_target, _context);");
        }

        code.AppendLine();
        code.AppendLine("        [global::System.Runtime.CompilerServices.ModuleInitializer]");
        foreach (var (type, members) in ReflectedTypes(service, methods))
        {
            code.AppendLine($"        [global::System.Diagnostics.CodeAnalysis.DynamicDependency({members}, typeof({type}))]");
        }

        code.AppendLine("        internal static void Register() =>");
        code.AppendLine($"            {Generated}TagCacheDecorators.Register<{serviceName}>(");
        code.AppendLine($"                static (target, context) => new {className}(target, context),");
        code.AppendLine("                static () => new global::System.Reflection.MethodInfo[]");
        code.AppendLine("                {");
        foreach (var method in methods)
        {
            var types = string.Join(", ", method.Parameters.Select(p => $"typeof({p.Type.ToDisplayString(Plain)})"));
            code.AppendLine($"                    typeof({method.ContainingType.ToDisplayString(Plain)}).GetMethod(\"{method.Name}\", new global::System.Type[] {{ {types} }})!,");
        }

        code.AppendLine("                });");
        code.AppendLine("    }");
        code.AppendLine("}");
        return code.ToString();
    }

    /// <summary>
    /// What TagCache reads by reflection when it plans the service (once, at the first resolve): the interfaces' methods
    /// and their attributes, and the members templates name on parameters and results (one level of members deep). Named
    /// as dynamic dependencies, a trimmed or Native AOT application keeps them.
    /// </summary>
    private static IEnumerable<(string Type, string Members)> ReflectedTypes(INamedTypeSymbol service, List<IMethodSymbol> methods)
    {
        const string Kinds = "global::System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.";
        var seen = new HashSet<string>();
        foreach (var contract in new[] { service }.Concat(service.AllInterfaces))
        {
            var name = contract.ToDisplayString(Plain);
            if (seen.Add(name))
            {
                yield return (name, Kinds + "All");
            }
        }

        var values = methods.SelectMany(m => m.Parameters.Select(p => p.Type).Concat(m.ReturnsVoid ? [] : [Unwrapped(m.ReturnType)]));
        var members = $"{Kinds}PublicProperties | {Kinds}PublicFields | {Kinds}Interfaces";
        foreach (var value in values.Concat(values.SelectMany(MemberTypes)).Where(Reflectable))
        {
            var name = value.ToDisplayString(Plain);
            if (seen.Add(name))
            {
                yield return (name, members);
            }
        }
    }

    private static ITypeSymbol Unwrapped(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true } named && named.ConstructedFrom.ToDisplayString() is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>"
            ? named.TypeArguments[0]
            : type;

    private static IEnumerable<ITypeSymbol> MemberTypes(ITypeSymbol type) =>
        type.GetMembers().Where(m => !m.IsStatic && m.DeclaredAccessibility == Accessibility.Public).Select(m => m switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        }).Where(t => t is not null)!;

    private static bool Reflectable(ITypeSymbol type) =>
        type is INamedTypeSymbol { SpecialType: SpecialType.None, TypeKind: TypeKind.Class or TypeKind.Struct or TypeKind.Interface } named
        && !named.IsRefLikeType
        && named.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal
        && (named.ContainingType is null || named.ContainingType.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal)
        && !named.TypeArguments.Any(a => a is ITypeParameterSymbol);

    private static void WriteMethod(StringBuilder code, IMethodSymbol method, int index)
    {
        var contract = method.ContainingType.ToDisplayString(Plain);
        var names = method.Parameters.Select(p => Identifier(p.Name)).ToArray();
        var taken = new HashSet<string>(names);
        var target = Unique("__target", taken);
        var arguments = Unique("__arguments", taken);
        var call = Unique("__method", taken);
        var parameters = string.Join(", ", method.Parameters.Select((p, i) => $"{p.Type.ToDisplayString(Annotated)} {names[i]}"));
        var forwarded = string.Join(", ", names);
        var unpacked = string.Join(", ", method.Parameters.Select((p, i) => $"({p.Type.ToDisplayString(Annotated)}){arguments}[{i}]!"));
        var packed = names.Length == 0 ? "global::System.Array.Empty<object?>()" : $"new object?[] {{ {forwarded} }}";
        var direct = $"(({contract}){target}).{Identifier(method.Name)}({unpacked})";
        var returnType = method.ReturnsVoid ? "void" : method.ReturnType.ToDisplayString(Annotated);

        code.AppendLine($"        {returnType} {contract}.{Identifier(method.Name)}({parameters})");
        code.AppendLine("        {");
        code.AppendLine($"            var {call} = _m{index};");
        if (method.ReturnsVoid)
        {
            code.AppendLine($"            if ({call}.IsIntercepted)");
            code.AppendLine("            {");
            code.AppendLine($"                {call}.Invoke(_target, {packed}, static ({target}, {arguments}) => {{ {direct}; return null; }});");
            code.AppendLine("            }");
            code.AppendLine("            else");
            code.AppendLine("            {");
            code.AppendLine($"                (({contract})_target).{Identifier(method.Name)}({forwarded});");
            code.AppendLine("            }");
        }
        else
        {
            code.AppendLine($"            return {call}.IsIntercepted");
            code.AppendLine($"                ? {call}.Invoke(_target, {packed}, static ({target}, {arguments}) => {direct})");
            code.AppendLine($"                : (({contract})_target).{Identifier(method.Name)}({forwarded});");
        }

        code.AppendLine("        }");
    }

    private static void WriteProperty(StringBuilder code, IPropertySymbol property)
    {
        var contract = property.ContainingType.ToDisplayString(Plain);
        var type = property.Type.ToDisplayString(Annotated);
        string name;
        string access;
        if (property.IsIndexer)
        {
            var names = property.Parameters.Select(p => Identifier(p.Name)).ToArray();
            name = $"this[{string.Join(", ", property.Parameters.Select((p, i) => $"{p.Type.ToDisplayString(Annotated)} {names[i]}"))}]";
            access = $"(({contract})_target)[{string.Join(", ", names)}]";
        }
        else
        {
            name = Identifier(property.Name);
            access = $"(({contract})_target).{name}";
        }

        code.AppendLine($"        {type} {contract}.{name}");
        code.AppendLine("        {");
        if (property.GetMethod is not null)
        {
            code.AppendLine($"            get => {access};");
        }

        if (property.SetMethod is not null)
        {
            code.AppendLine($"            set => {access} = value;");
        }

        code.AppendLine("        }");
    }

    private static void WriteEvent(StringBuilder code, IEventSymbol @event)
    {
        var contract = @event.ContainingType.ToDisplayString(Plain);
        var name = Identifier(@event.Name);
        code.AppendLine($"        event {@event.Type.ToDisplayString(Annotated)} {contract}.{name}");
        code.AppendLine("        {");
        code.AppendLine($"            add => (({contract})_target).{name} += value;");
        code.AppendLine($"            remove => (({contract})_target).{name} -= value;");
        code.AppendLine("        }");
    }

    /// <summary>The type argument of the method's <c>GeneratedMethod</c>: its return type, <c>object</c> for void.</summary>
    private static string HandledType(IMethodSymbol method) => method.ReturnsVoid ? "object?" : method.ReturnType.ToDisplayString(Annotated);

    /// <summary>The <c>DecoratorContext</c> method for the method's return shape, as TagCache's planner classifies it.</summary>
    private static string Accessor(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return "ReturningVoid";
        }

        var type = method.ReturnType;
        var definition = type is INamedTypeSymbol { IsGenericType: true } named ? named.ConstructedFrom.ToDisplayString() : type.ToDisplayString();
        return definition switch
        {
            "System.Threading.Tasks.Task" => "ReturningTask",
            "System.Threading.Tasks.ValueTask" => "ReturningValueTask",
            "System.Threading.Tasks.Task<TResult>" => $"ReturningTask<{TypeArgument(type)}>",
            "System.Threading.Tasks.ValueTask<TResult>" => $"ReturningValueTask<{TypeArgument(type)}>",
            _ => $"Returning<{type.ToDisplayString(Annotated)}>",
        };
    }

    private static string TypeArgument(ITypeSymbol type) => ((INamedTypeSymbol)type).TypeArguments[0].ToDisplayString(Annotated);

    private static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Unique(string name, HashSet<string> taken)
    {
        while (!taken.Add(name))
        {
            name += "_";
        }

        return name;
    }
}
