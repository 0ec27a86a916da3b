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
    /// pattern), which leaves the rules, cache names, invalidation shapes and container-wide findings for the check that
    /// runs when the caches are made.</param>
    /// <param name="registrations">The proxied registrations: all of them, when <paramref name="options"/> is given.</param>
    /// <param name="loggers">Where findings that are not errors are logged.</param>
    /// <param name="container">What the container can tell about all its registrations; null when it cannot.</param>
    /// <exception cref="TagCacheConfigurationException">Something is misconfigured; every problem is listed.</exception>
    public static void ThrowIfInvalid(TagCacheOptions? options, IEnumerable<ProxiedRegistration> registrations, ILoggerFactory? loggers = null, ContainerCheck? container = null)
    {
        if (options is not null)
        {
            // Checked before anything builds the caches, so the error is ours rather than a wrapped activation failure.
            options.ThrowIfInvalid();
        }

        var planner = new MethodPlanner(options is null ? CacheCatalog.AnyName : CacheCatalog.Configured(options), CacheFaults.None);
        var problems = new List<PlanProblem>();
        var keys = new List<KeyUse>();
        var tags = new List<TagUse>();
        var selfCalls = new List<string>();
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

            var cached = new List<(MethodInfo Method, string Cache)>();
            foreach (var method in ServiceMethods.Of(interfaces))
            {
                planner.Check(method, registration.ImplementationType, registration.IsOpenGeneric, problems, tags);
                if (MethodPlanner.CacheAttributeOf(method, registration.ImplementationType) is { } attribute)
                {
                    cached.Add((method, attribute.Cache ?? TagCacheOptions.DefaultCacheName));
                    if (attribute.Key is { } key)
                    {
                        keys.Add(new KeyUse(attribute.Cache ?? TagCacheOptions.DefaultCacheName, key, ReturnShapes.ValueTypeOf(method.ReturnType), method));
                    }
                }
            }

            problems.AddRange(ScopeCheck.FindProblems(registration, cached, options, container?.Facts));
            if (options is not null && registration.ImplementationType is { } implementation)
            {
                selfCalls.AddRange(SelfCallCheck.Find(implementation, interfaces));
            }
        }

        problems.AddRange(KeyClashes(keys));
        var errors = problems.Select(p => p.ToString()).Distinct().ToList();
        var warnings = new List<(string Finding, Action<ILogger, string> Log)>();
        if (options is not null)
        {
            Sort(InvalidationCheck.FindUnmatched(tags, options), options.StrictInvalidation, "options.StrictInvalidation makes this an error; set it to false to log it instead", TagCacheLog.InvalidationMatchesNothing);
            Sort(selfCalls, !options.AllowSelfCalls, "if the bypass is intended, set options.AllowSelfCalls = true to log this instead", TagCacheLog.SelfCall);
            if (container is not null)
            {
                Sort(UnproxiedCheck.Find(container.Facts, container.ProxyFix), !options.AllowUnproxiedServices, "if it is proxied some other way on purpose, set options.AllowUnproxiedServices = true to log this instead", TagCacheLog.ServiceNotProxied);
            }
        }

        if (errors.Count > 0)
        {
            throw new TagCacheConfigurationException(errors);
        }

        if (warnings.Count > 0 && loggers is not null)
        {
            var logger = SafeLogger.Of(loggers.CreateLogger(LogCategory));
            foreach (var (finding, log) in warnings)
            {
                log(logger, finding);
            }
        }

        void Sort(IEnumerable<string> findings, bool isError, string switchAdvice, Action<ILogger, string> log)
        {
            foreach (var finding in findings)
            {
                if (isError)
                {
                    errors.Add($"{finding} ({switchAdvice}.)");
                }
                else
                {
                    warnings.Add((finding, log));
                }
            }
        }
    }

    /// <summary>
    /// Microsoft DI's early check of what is known when a service is proxied: per-scope state, with the cache-wide
    /// declarations the options registered so far make (<paramref name="probe"/>); the complete check runs with the caches.
    /// </summary>
    /// <exception cref="TagCacheConfigurationException">A scoped service declares nothing about its scope.</exception>
    public static void ThrowIfScopeUndeclared(TagCacheOptions probe, IEnumerable<ProxiedRegistration> registrations, IContainerFacts facts)
    {
        var problems = new List<PlanProblem>();
        foreach (var registration in registrations)
        {
            var cached = ServiceMethods.Of(registration.Services.Where(s => s.IsInterface))
                .Select(m => (Method: m, Attribute: MethodPlanner.CacheAttributeOf(m, registration.ImplementationType)))
                .Where(m => m.Attribute is not null)
                .Select(m => (m.Method, m.Attribute!.Cache ?? TagCacheOptions.DefaultCacheName))
                .ToList();
            problems.AddRange(ScopeCheck.FindProblems(registration, cached, probe, facts, complete: false));
        }

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

/// <summary>What the container-wide findings need from the container.</summary>
/// <param name="Facts">Every registration, and what each depends on.</param>
/// <param name="ProxyFix">How the container's user proxies a service: <c>services.AddTagCaching&lt;IProducts&gt;()</c>.</param>
internal sealed record ContainerCheck(IContainerFacts Facts, Func<Type, string> ProxyFix);
