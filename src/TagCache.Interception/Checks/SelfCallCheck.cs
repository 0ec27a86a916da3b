using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace TagCache.Interception.Checks;

/// <summary>
/// Finds calls an implementation makes to its own cached or invalidating methods. Such a call goes to the instance, not
/// through the proxy, so nothing is cached or invalidated. The check reads the IL of the implementation's methods, and of
/// the types the compiler nests in it for lambdas, iterators and async methods, for calls of those methods. Under Native
/// AOT, which keeps no IL, only the analyzer's TC1006 finds them.
/// </summary>
internal static class SelfCallCheck
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <param name="implementation">The implementation type.</param>
    /// <param name="services">The interfaces it is proxied as.</param>
    /// <returns>One finding per calling method and called method.</returns>
    public static IReadOnlyList<string> Find(Type implementation, IEnumerable<Type> services)
    {
        // Native AOT keeps no IL to read; there the analyzer (TC1006) has reported these calls at compile time.
        if (!RuntimeFeature.IsDynamicCodeSupported || implementation.IsInterface || implementation.IsAbstract && implementation.IsSealed)
        {
            return [];
        }

        var watched = WatchedMethods(implementation, services);
        if (watched.Count == 0)
        {
            return [];
        }

        var findings = new List<string>();
        foreach (var (caller, body) in Bodies(implementation))
        {
            foreach (var called in CalledMethods(body, caller))
            {
                if (watched.TryGetValue(Definition(called), out var contract))
                {
                    findings.Add(
                        $"{implementation.Name}.{Display(caller)} calls {contract} on its own instance, which bypasses TagCache's proxy: that call is " +
                        $"neither cached nor followed by its invalidation. Call it through the service (inject {contract.Split('.')[0]} where it is " +
                        "needed, e.g. from another service), or move the shared code to a method without TagCache attributes.");
                }
            }
        }

        return [.. findings.Distinct()];
    }

    /// <summary>The implementation's methods that carry TagCache attributes, or implement interface methods that do.</summary>
    private static Dictionary<MethodBase, string> WatchedMethods(Type implementation, IEnumerable<Type> services)
    {
        var watched = new Dictionary<MethodBase, string>();
        foreach (var service in services.Where(s => s.IsInterface).SelectMany(s => s.GetInterfaces().Prepend(s)).Distinct())
        {
            InterfaceMapping map;
            try
            {
                map = implementation.GetInterfaceMap(service.IsGenericTypeDefinition ? implementation.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == service) ?? service : service);
            }
            catch (ArgumentException)
            {
                continue;
            }

            for (var i = 0; i < map.InterfaceMethods.Length; i++)
            {
                if (TagCacheAttributes.Has(map.InterfaceMethods[i]) || TagCacheAttributes.Has(map.TargetMethods[i]))
                {
                    watched.TryAdd(Definition(map.TargetMethods[i]), $"{service.Name}.{map.InterfaceMethods[i].Name}");
                }
            }
        }

        return watched;
    }

    /// <summary>The method bodies of the type and of the types the compiler nested in it (closures, state machines).</summary>
    private static IEnumerable<(MethodBase Caller, MethodBody Body)> Bodies(Type type)
    {
        IEnumerable<MethodBase> methods = type.GetMethods(Declared);
        foreach (var method in methods.Concat(type.GetConstructors(Declared)))
        {
            if (method.GetMethodBody() is { } body)
            {
                yield return (method, body);
            }
        }

        foreach (var nested in type.GetNestedTypes(BindingFlags.NonPublic).Where(t => t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)))
        {
            foreach (var inner in Bodies(nested))
            {
                yield return inner;
            }
        }
    }

    /// <summary>Decodes the body's instructions and yields the methods it calls (or takes as a delegate).</summary>
    private static IEnumerable<MethodBase> CalledMethods(MethodBody body, MethodBase caller)
    {
        var il = body.GetILAsByteArray() ?? [];
        var module = caller.Module;
        var typeArguments = caller.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = caller.IsGenericMethod ? caller.GetGenericArguments() : null;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE && position < il.Length)
            {
                value = (short)(0xFE00 | il[position++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                yield break;
            }

            var operandStart = position;
            position += OperandSize(opCode.OperandType, il, position);
            if (opCode.OperandType != OperandType.InlineMethod || (opCode != OpCodes.Call && opCode != OpCodes.Callvirt && opCode != OpCodes.Ldftn && opCode != OpCodes.Ldvirtftn))
            {
                continue;
            }

            MethodBase? called;
            try
            {
                called = module.ResolveMethod(BitConverter.ToInt32(il, operandStart), typeArguments, methodArguments);
            }
            catch (Exception exception) when (exception is ArgumentException or BadImageFormatException or TypeLoadException)
            {
                called = null;
            }

            if (called is not null)
            {
                yield return called;
            }
        }
    }

    private static int OperandSize(OperandType type, byte[] il, int position) => type switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    /// <summary>The method as declared, whatever generic arguments the call closed it over, so calls and declarations compare equal.</summary>
    private static MethodBase Definition(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true } generic)
        {
            method = generic.GetGenericMethodDefinition();
        }

        return method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } owner
            ? MethodBase.GetMethodFromHandle(method.MethodHandle, owner.GetGenericTypeDefinition().TypeHandle) ?? method
            : method;
    }

    /// <summary>The method as its author wrote it: <c>GetAsync</c> for its state machine, <c>Render</c> for a lambda in it.</summary>
    private static string Display(MethodBase caller)
    {
        var name = caller.DeclaringType is { } type && type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false) ? type.Name : caller.Name;
        var open = name.IndexOf('<', StringComparison.Ordinal);
        var close = name.IndexOf('>', StringComparison.Ordinal);
        if (open >= 0 && close > open + 1)
        {
            return name[(open + 1)..close];
        }

        return caller.Name == ".ctor" ? "its constructor" : caller.Name;
    }
}
