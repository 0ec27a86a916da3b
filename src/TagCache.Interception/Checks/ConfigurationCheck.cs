using System.Reflection;
using Microsoft.Extensions.Logging;
using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Telemetry;
using TagCache.Templates;

namespace TagCache.Interception.Checks;

/// <summary>
/// The check both container adapters run when the container is built (Autofac) or a service is proxied (Microsoft DI):
/// the <c>InvalidateOn</c> registrations, then every method of every proxied service, all problems reported at once.
/// What depends on a type the container cannot know yet (a factory's product, a generic argument) is checked at the first
/// resolve instead. With the options known, invalidations that can match nothing are reported too (see
/// <see cref="InvalidationCheck"/>): logged as warnings, or errors with <see cref="TagCacheOptions.StrictInvalidation"/>.
/// </summary>
internal static class ConfigurationCheck
{
    /// <summary>The category of the build-time findings' log messages.</summary>
    public const string LogCategory = "TagCache.Configuration";

    /// <param name="options">The options; <see langword="null"/> when they are not known yet (Microsoft DI's options
    /// pattern), which leaves the rules, cache names and invalidation shapes for the check that runs when the caches are made.</param>
    /// <param name="registrations">The proxied registrations: all of them, when <paramref name="options"/> is given.</param>
    /// <param name="loggers">Where findings that are not errors are logged.</param>
    /// <exception cref="TagCacheConfigurationException">Something is misconfigured; every problem is listed.</exception>
    public static void ThrowIfInvalid(TagCacheOptions? options, IEnumerable<ProxiedRegistration> registrations, ILoggerFactory? loggers = null)
    {
        if (options is not null)
        {
            // Checked before anything builds the caches, so the error is ours rather than a wrapped activation failure.
            options.ThrowIfInvalid();
        }

        var planner = new MethodPlanner(options is null ? CacheCatalog.AnyName : CacheCatalog.Named(options.CacheNames), CacheFaults.None);
        var problems = new List<PlanProblem>();
        var keys = new List<KeyUse>();
        var tags = new List<TagUse>();
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
                planner.Check(method, registration.ImplementationType, registration.IsOpenGeneric, problems, tags);
                if (MethodPlanner.CacheAttributeOf(method, registration.ImplementationType) is { Key: { } key } attribute)
                {
                    keys.Add(new KeyUse(attribute.Cache ?? TagCacheOptions.DefaultCacheName, key, ReturnShapes.ValueTypeOf(method.ReturnType), method));
                }
            }
        }

        problems.AddRange(KeyClashes(keys));
        var unmatched = options is null ? [] : InvalidationCheck.FindUnmatched(tags, options);
        var errors = problems.Select(p => p.ToString()).Distinct().ToList();
        if (options is { StrictInvalidation: true })
        {
            errors.AddRange(unmatched.Select(u => u + " (options.StrictInvalidation makes this an error.)"));
        }

        if (errors.Count > 0)
        {
            throw new TagCacheConfigurationException(errors);
        }

        if (unmatched.Count > 0 && loggers is not null)
        {
            var logger = loggers.CreateLogger(LogCategory);
            foreach (var finding in unmatched)
            {
                logger.InvalidationMatchesNothing(finding);
            }
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
