using Microsoft.Extensions.Logging.Abstractions;
using TagCache.Interception.Planning;
using TagCache.Stores;

namespace TagCache.Interception;

/// <summary>Plans a service when it is registered with Microsoft DI, which has no build step to hook into.</summary>
internal static class TagCachingValidation
{
    public static void ThrowIfInvalid(TagCacheOptions options, Type serviceType, IEnumerable<Type?> targetTypes)
    {
        EventRuleCheck.ThrowIfInvalid(options);
        // A short-lived provider of the configured caches, so cache names are checked exactly as at run time.
        using var provider = new TagCacheProvider(options, TimeProvider.System, NullLoggerFactory.Instance);
        var interceptor = new TagCacheInterceptor(provider);
        var problems = new List<PlanProblem>();
        foreach (var targetType in targetTypes.Distinct())
        {
            problems.AddRange(interceptor.Prepare(serviceType, targetType));
        }

        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException([.. problems.Select(p => p.ToString())]);
        }
    }
}
