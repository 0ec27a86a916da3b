using TagCache.Events;

namespace TagCache.Interception;

/// <summary>Reports <see cref="TagCacheOptions.InvalidateOn{TEvent}"/> registrations naming unknown caches as a configuration error.</summary>
internal static class EventRuleCheck
{
    public static void ThrowIfInvalid(TagCacheOptions options)
    {
        var names = options.CacheNames;
        var problems = CacheSweeper.FindProblems(options.InvalidationRules, names.Contains, names);
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException(problems);
        }
    }
}
