using System.Reflection;
using TagCache.Events;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Templates;

namespace TagCache.Interception.Checks;

/// <summary>
/// The check both container adapters run when the container is built (Autofac) or a service is proxied (Microsoft DI):
/// the <c>InvalidateOn</c> registrations, then every method of every proxied service, all problems reported at once.
/// What depends on a type the container cannot know yet (a factory's product, a generic argument) is checked at the first
/// resolve instead.
/// </summary>
internal static class ConfigurationCheck
{
    /// <param name="options">The options; <see langword="null"/> when they are not known yet (Microsoft DI's options
    /// pattern), which leaves the rules and cache names for the check that runs when the caches are made.</param>
    /// <param name="registrations">The proxied registrations.</param>
    /// <exception cref="TagCacheConfigurationException">Something is misconfigured; every problem is listed.</exception>
    public static void ThrowIfInvalid(TagCacheOptions? options, IEnumerable<ProxiedRegistration> registrations)
    {
        if (options is not null)
        {
            // Checked before anything builds the caches, so the error is ours rather than a wrapped activation failure.
            var names = options.CacheNames;
            CacheSweeper.ThrowIfInvalid(options.InvalidationRules, names.Contains, names);
        }

        var planner = new MethodPlanner(options is null ? CacheCatalog.AnyName : CacheCatalog.Named(options.CacheNames), CacheFaults.None);
        var problems = new List<PlanProblem>();
        var keys = new List<KeyUse>();
        foreach (var registration in registrations)
        {
            var interfaces = new List<Type>();
            foreach (var service in registration.Services.Distinct())
            {
                if (service.IsInterface)
                {
                    interfaces.Add(service);
                    continue;
                }

                problems.Add(new PlanProblem(
                    registration.Name,
                    $"TagCache proxies interfaces, but the registration also exposes the class {service.Name}, which the proxy cannot stand in for. " +
                    "Expose it only through its interfaces, e.g. .As<IMyService>() instead of .AsSelf()."));
            }

            foreach (var method in ServiceMethods.Of(interfaces))
            {
                planner.Check(method, registration.ImplementationType, registration.IsOpenGeneric, problems);
                if (MethodPlanner.CacheAttributeOf(method, registration.ImplementationType) is { Key: { } key } attribute)
                {
                    keys.Add(new KeyUse(attribute.Cache ?? TagCacheOptions.DefaultCacheName, key, ReturnShapes.ValueTypeOf(method.ReturnType), method));
                }
            }
        }

        problems.AddRange(KeyClashes(keys));
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString()).Distinct()]);
        }
    }

    /// <summary>Two methods whose Key templates are the same text in one cache, but whose values differ in type, would read each other's entries.</summary>
    private static IEnumerable<PlanProblem> KeyClashes(List<KeyUse> keys) =>
        keys
            .GroupBy(k => (k.Cache, k.Template))
            .Where(g => g.Select(k => k.ValueType).Distinct().Count() > 1)
            .Select(g =>
            {
                var methods = g.DistinctBy(k => k.Method).ToList();
                var first = methods[0];
                return new PlanProblem(
                    $"{first.Method.DeclaringType?.Name}.{first.Method.Name}",
                    $"Key = \"{g.Key.Template}\" in cache '{g.Key.Cache}' is also the Key of " +
                    string.Join(", ", methods.Skip(1).Select(m => $"{m.Method.DeclaringType?.Name}.{m.Method.Name}")) +
                    $", which return {string.Join(" and ", methods.Select(m => TemplateCompiler.DisplayTypeName(m.ValueType)).Distinct())}: " +
                    "a call of one would find the other's value. Give them different Key templates (a prefix per method, e.g. Key = \"count:{id}\").");
            });

    private sealed record KeyUse(string Cache, string Template, Type ValueType, MethodInfo Method);
}
