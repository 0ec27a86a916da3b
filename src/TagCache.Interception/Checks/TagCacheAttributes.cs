using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Checks;

/// <summary>Finds the methods of a type that carry TagCache's attributes, reading only assemblies that can hold them.</summary>
internal sealed class TagCacheAttributes
{
    private static readonly string CoreName = typeof(CacheWithTagsAttribute).Assembly.GetName().Name!;

    private readonly Dictionary<Type, string[]> _known = [];
    private readonly Dictionary<Assembly, bool> _referencesCore = [];

    /// <summary>The methods (as <c>IService.Method</c>) of <paramref name="service"/>, or of <paramref name="implementation"/> where it implements it, with a TagCache attribute.</summary>
    public IReadOnlyList<string> Of(Type service, Type? implementation)
    {
        var found = Attributed(service);
        return implementation is null || implementation == service || !service.IsInterface ? found : [.. found, .. Attributed(implementation)];
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private string[] Attributed(Type type)
    {
        if (_known.TryGetValue(type, out var methods))
        {
            return methods;
        }

        methods = [];
        if (MayHoldAttributes(type))
        {
            var candidates = type.IsInterface
                ? ServiceMethods.Of([type])
                : type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly);
            methods = [.. candidates.Where(Has).Select(m => $"{m.DeclaringType?.Name}.{m.Name}").Distinct()];
        }

        return _known[type] = methods;
    }

    public static bool Has(MethodInfo method) =>
        method.IsDefined(typeof(CacheWithTagsAttribute), inherit: true) || method.IsDefined(typeof(InvalidateTagsAttribute), inherit: true);

    /// <summary>
    /// Only an assembly that references TagCache.Core can use its attributes: every other type is skipped unread. Native AOT
    /// keeps no assembly references, so there every type is read (only those kept for reflection have methods to read).
    /// </summary>
    private bool MayHoldAttributes(Type type)
    {
        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            return true;
        }

        var assembly = type.Assembly;
        if (!_referencesCore.TryGetValue(assembly, out var references))
        {
            references = assembly.GetReferencedAssemblies().Any(a => a.Name == CoreName);
            _referencesCore[assembly] = references;
        }

        return references;
    }
}
