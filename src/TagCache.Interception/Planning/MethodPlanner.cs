using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using TagCache.Interception.Checks;
using TagCache.Interception.Handlers;
using TagCache.Stores;
using TagCache.Templates;

namespace TagCache.Interception.Planning;

/// <summary>
/// Turns a method's attributes into a <see cref="MethodPlan"/>, collecting every problem instead of stopping at the
/// first, so one build reports all of them (rule 8 in docs/architecture.md). The same rules check a service when
/// the container is built (<see cref="Check"/>) and plan it for calls (<see cref="Plan"/>).
/// </summary>
internal sealed class MethodPlanner(CacheCatalog caches, CacheFaults faults)
{
    /// <summary>Plans <paramref name="method"/> as called on <paramref name="target"/>.</summary>
    /// <returns>The plan, or null when a problem was added to <paramref name="problems"/>.</returns>
    public MethodPlan? Plan(MethodInfo method, TargetIdentity target, ICollection<PlanProblem> problems) =>
        Build(method, target.TargetType, target.Text, open: false, problems, uses: null, target.Declared);

    /// <summary>Gets a value indicating whether any cache's entries vary by state of the caller's scope.</summary>
    public bool AnyCacheVaries => caches.AnyVaries;

    /// <summary>
    /// Checks <paramref name="method"/> without planning it: what the attributes of the interface (and of
    /// <paramref name="implementationType"/>, when known) say. With <paramref name="open"/>, whatever depends on a
    /// generic argument is left for the closed type, planned at the first resolve. Every tag template that compiles is
    /// added to <paramref name="uses"/>, for the check of invalidations that can match nothing.
    /// </summary>
    public void Check(MethodInfo method, Type? implementationType, bool open, ICollection<PlanProblem> problems, ICollection<TagUse>? uses = null) =>
        Build(method, implementationType, implementationType is null ? "?" : TemplateCompiler.DisplayTypeName(implementationType), open, problems, uses, declared: null);

    /// <summary>The <see cref="CacheWithTagsAttribute"/> that applies to <paramref name="method"/> on <paramref name="implementationType"/>, if exactly one does.</summary>
    public static CacheWithTagsAttribute? CacheAttributeOf(MethodInfo method, Type? implementationType) =>
        Attributes<CacheWithTagsAttribute>(method, FindImplementation(method, implementationType)) is [var only] ? only : null;

    private MethodPlan? Build(MethodInfo method, Type? targetType, string target, bool open, ICollection<PlanProblem> problems, ICollection<TagUse>? uses, TagCacheScopeOptions? declared)
    {
        var name = DisplayName(method);
        var implementation = FindImplementation(method, targetType);
        var cacheAttributes = Attributes<CacheWithTagsAttribute>(method, implementation);
        var invalidateAttributes = Attributes<InvalidateTagsAttribute>(method, implementation);
        if (cacheAttributes.Count == 0 && invalidateAttributes.Count == 0)
        {
            return MethodPlan.PassThrough(name);
        }

        var before = problems.Count;
        void Problem(string description) => problems.Add(new PlanProblem(name, description));

        CheckSignature(method, Problem);
        var shape = ReturnShapes.Classify(method.ReturnType, out var valueType);
        var parameters = method.GetParameters()
            .Select(p => new TemplateParameter(p.Name ?? "arg" + p.Position.ToString(System.Globalization.CultureInfo.InvariantCulture), p.ParameterType, p.Position))
            .ToArray();
        var tagScope = new TemplateScope(parameters, shape.HasResult() ? valueType : null, open);

        if (cacheAttributes.Count > 1)
        {
            Problem("[CacheWithTags] is declared on both the interface method and the implementing method, so it is unclear which applies. Keep it in one place.");
        }

        CachePlan? cachePlan = null;
        if (cacheAttributes.Count > 0 && problems.Count == before)
        {
            cachePlan = PlanCache(method, name, cacheAttributes[0], shape, valueType, parameters, tagScope, target, open, Problem, uses, declared);
        }

        var invalidations = new List<InvalidationPlan>(invalidateAttributes.Count);
        foreach (var attribute in invalidateAttributes)
        {
            var label = $"[InvalidateTags({Quote(attribute.Tags)})]";
            var found = caches.TryFind(attribute.Cache ?? TagCacheOptions.DefaultCacheName, label, out var cache, out var cacheProblem);
            if (!found)
            {
                Problem(cacheProblem!);
            }

            var tags = CompileAll(attribute.Tags, tagScope, TemplateKind.Tag, label + " tag", Problem);
            Record(uses, attribute.Cache, name, "InvalidateTags", tags, invalidates: true);
            if (cache is not null && tags is not null)
            {
                // Partitioned tags: an invalidation made in a scope reaches only that scope's entries.
                var partition = RuleOf(declared, cache) is { PartitionTags: true } rule ? rule : null;
                invalidations.Add(new InvalidationPlan(cache, tags, name, partition));
            }
        }

        if (problems.Count > before || !caches.CanResolve)
        {
            return null;
        }

        return MethodPlan.Intercepted(name, shape, valueType, cachePlan, [.. invalidations]);
    }

    private CachePlan? PlanCache(MethodInfo method, string name, CacheWithTagsAttribute attribute, ReturnShape shape, Type? valueType, TemplateParameter[] parameters, TemplateScope tagScope, string target, bool open, Action<string> problem, ICollection<TagUse>? uses, TagCacheScopeOptions? declared)
    {
        var label = $"[CacheWithTags({Quote(attribute.Tags)})]";
        if (!shape.HasResult())
        {
            problem($"{label} is on a method returning {method.ReturnType.Name}, which has no result to cache. " +
                "Return the value to cache (T, Task<T> or ValueTask<T>), or use [InvalidateTags] for a method that only changes data.");
        }

        if (attribute.Timeout < 0)
        {
            problem($"{label} has Timeout = {attribute.Timeout}; the timeout is in seconds and cannot be negative. " +
                "Write a positive number of seconds, or 0 (the default) for the cache's default timeout.");
        }

        if (!caches.TryFind(attribute.Cache ?? TagCacheOptions.DefaultCacheName, label, out var cache, out var cacheProblem))
        {
            problem(cacheProblem!);
        }

        CompiledTemplate? key = null;
        try
        {
            key = attribute.Key is null
                ? TemplateCompiler.CompileDefaultKey(method, target, open)
                : TemplateCompiler.Compile(attribute.Key, new TemplateScope(parameters, resultType: null, open), TemplateKind.Key);
        }
        catch (TemplateException exception)
        {
            problem($"{label} {(attribute.Key is null ? "default key" : "Key")}: {exception.Message}");
        }

        var tags = CompileAll(attribute.Tags, tagScope, TemplateKind.Tag, label + " tag", problem);
        Record(uses, attribute.Cache, name, "CacheWithTags", tags, invalidates: false);
        var resilience = Resilience(attribute, label, caches.SettingsOf(attribute.Cache ?? TagCacheOptions.DefaultCacheName, cache), problem);
        var unserializable = false;
        if (attribute.SecondLevel && valueType is not null && caches.SecondLevelOf(attribute.Cache ?? TagCacheOptions.DefaultCacheName, cache) is { } serializer
            && !serializer.CanSerialize(valueType, out var why))
        {
            unserializable = true;
            problem($"{label} returns {valueType}, which its cache's second level cannot store: {why}. " +
                "Or keep this method's values in memory only with [CacheWithTags(..., SecondLevel = false)].");
        }

        if (cache is null || unserializable || key is null || tags is null || !shape.HasResult() || attribute.Timeout < 0 || resilience is null)
        {
            return null;
        }

        return new CachePlan(
            name,
            cache,
            key,
            attribute.Key is null && !open ? CallKeyShape.TryCreate(method, key) : null,
            [.. tags.Where(t => !t.UsesResult)],
            [.. tags.Where(t => t.UsesResult)],
            attribute.Timeout == 0 ? null : TimeSpan.FromSeconds(attribute.Timeout),
            Array.FindIndex(parameters, p => p.Type == typeof(CancellationToken)),
            valueType!,
            faults,
            RuleOf(declared, cache),
            resilience,
            attribute.SecondLevel);
    }

    /// <summary>The method's resilience settings over its cache's, or null when they are out of range or contradict each other.</summary>
    private static Resilience.ResiliencePolicy? Resilience(CacheWithTagsAttribute attribute, string label, (Resilience.ResiliencePolicy Policy, TimeSpan? DefaultTimeout) cache, Action<string> problem)
    {
        var problems = 0;
        void Count(string description)
        {
            problems++;
            problem(description);
        }

        var layer = ResilienceSettings.Of(attribute, label, Count);
        var policy = cache.Policy.Over(layer);
        var timeout = attribute.Timeout > 0 ? TimeSpan.FromSeconds(attribute.Timeout) : cache.DefaultTimeout;
        foreach (var contradiction in policy.FindProblems(timeout))
        {
            Count($"{label}: {contradiction}");
        }

        return problems == 0 ? policy : null;
    }

    /// <summary>What a method's keys in <paramref name="cache"/> vary by: the registration's declaration, else the cache's.</summary>
    private static Scopes.ScopeRule? RuleOf(TagCacheScopeOptions? declared, ITagCache cache) =>
        (declared ?? (cache as ILocalTagCache)?.Scope)?.Rule;

    private static void Record(ICollection<TagUse>? uses, string? cache, string method, string attribute, CompiledTemplate[]? tags, bool invalidates)
    {
        foreach (var tag in uses is null ? [] : tags ?? [])
        {
            uses!.Add(new TagUse(cache ?? TagCacheOptions.DefaultCacheName, method, $"[{attribute}(\"{tag.Text}\")]", tag.Shape, invalidates));
        }
    }

    private static CompiledTemplate[]? CompileAll(IReadOnlyList<string> templates, TemplateScope scope, TemplateKind kind, string label, Action<string> problem)
    {
        var compiled = new CompiledTemplate[templates.Count];
        var ok = true;
        for (var i = 0; i < templates.Count; i++)
        {
            try
            {
                compiled[i] = TemplateCompiler.Compile(templates[i], scope, kind);
            }
            catch (TemplateException exception)
            {
                problem($"{label}: {exception.Message}");
                ok = false;
            }
        }

        return ok ? compiled : null;
    }

    private static void CheckSignature(MethodInfo method, Action<string> problem)
    {
        if (method.IsGenericMethodDefinition)
        {
            problem("TagCache attributes are not supported on generic methods yet, because their tags and keys depend on type arguments " +
                "known only per call. Move the attribute to a non-generic method.");
        }

        if (method.ReturnType.IsByRef || method.ReturnType.IsByRefLike || method.ReturnType.IsPointer)
        {
            problem("the method returns a reference, a ref struct or a pointer, which a cache cannot keep. Return an ordinary value instead.");
        }

        if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
        {
            problem("the method returns IAsyncEnumerable<T>, which runs only when enumerated, so it can be neither cached nor followed by an invalidation. " +
                "Return Task<IReadOnlyList<T>> instead.");
        }

        foreach (var parameter in method.GetParameters().Where(p => p.ParameterType.IsByRef))
        {
            problem($"parameter '{parameter.Name}' is passed by reference (ref, out or in), which a cached call cannot replay. Pass it by value.");
        }
    }

    private static List<TAttribute> Attributes<TAttribute>(MethodInfo method, MethodInfo? implementation)
        where TAttribute : Attribute
    {
        var found = method.GetCustomAttributes<TAttribute>(inherit: true).ToList();
        if (implementation is not null)
        {
            found.AddRange(implementation.GetCustomAttributes<TAttribute>(inherit: true));
        }

        return found;
    }

    /// <summary>The implementing method, whose attributes count too; for an open generic service, on the open implementation.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private static MethodInfo? FindImplementation(MethodInfo method, Type? targetType)
    {
        if (targetType is null || targetType.IsInterface || method.DeclaringType is not { IsInterface: true } contract)
        {
            return null;
        }

        var implemented = contract.IsAssignableFrom(targetType)
            ? contract
            : contract.IsGenericTypeDefinition
                ? targetType.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == contract)
                : null;
        if (implemented is null)
        {
            return null;
        }

        if (!RuntimeFeature.IsDynamicCodeSupported)
        {
            // Native AOT has no interface maps: the implementation is found by its signature instead.
            return ImplementationBySignature(method, implemented, targetType);
        }

        var map = targetType.GetInterfaceMap(implemented);
        var index = Array.FindIndex(map.InterfaceMethods, m => m.HasSameMetadataDefinitionAs(method));
        return index >= 0 ? map.TargetMethods[index] : null;
    }

    /// <summary>
    /// The method of <paramref name="targetType"/> (or a base class) implementing <paramref name="method"/>: an explicit
    /// implementation (named after the interface) first, as the runtime prefers it, then a public one of the same name
    /// and parameter types.
    /// </summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private static MethodInfo? ImplementationBySignature(MethodInfo method, Type implemented, Type targetType)
    {
        var parameters = implemented.IsConstructedGenericType
            ? Array.ConvertAll(implemented.GetMethods().First(m => m.HasSameMetadataDefinitionAs(method)).GetParameters(), p => p.ParameterType)
            : Array.ConvertAll(method.GetParameters(), p => p.ParameterType);
        // The compiler names an explicit implementation "Namespace.IService.Method" ("Namespace.IService<Arg>.Method" for a generic one).
        var explicitPrefix = $"{implemented.Namespace}.{implemented.Name.Split('`')[0]}";
        var explicitSuffix = "." + method.Name;
        for (var type = targetType; type is not null; type = type.BaseType)
        {
            var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => m.GetParameters().Select(p => p.ParameterType).SequenceEqual(parameters))
                .ToArray();
            if (candidates.FirstOrDefault(m => m.IsPrivate && m.Name.StartsWith(explicitPrefix, StringComparison.Ordinal) && m.Name.EndsWith(explicitSuffix, StringComparison.Ordinal)) is { } explicitImplementation)
            {
                return explicitImplementation;
            }

            if (candidates.FirstOrDefault(m => m.IsPublic && m.Name == method.Name) is { } implicitImplementation)
            {
                return implicitImplementation;
            }
        }

        return null;
    }

    private static string DisplayName(MethodInfo method) => $"{method.DeclaringType?.Name ?? "?"}.{method.Name}";

    private static string Quote(IReadOnlyList<string> tags) => string.Join(", ", tags.Select(t => $"\"{t}\""));
}
