using System.Collections.Concurrent;

namespace TagCache.Events;

/// <summary>
/// Applies the <see cref="TagCacheOptions.InvalidateOn{TEvent}"/> registrations. Which rules apply to an event type
/// (its own, its base types' and its interfaces') is worked out once per type; a sweep only runs the tag functions.
/// </summary>
internal sealed class CacheSweeper : ICacheSweeper
{
    private readonly (InvalidationRule Rule, ITagCache Cache)[] _rules;
    private readonly ConcurrentDictionary<Type, CacheTagFunctions[]> _byEventType = new();

    /// <summary>Binds every rule to its cache, so a rule naming an unknown cache fails when the caches are built.</summary>
    /// <param name="rules">The registrations, in registration order.</param>
    /// <param name="findCache">Returns the named cache, or null when no cache has that name.</param>
    /// <param name="cacheNames">The configured names, for the error message.</param>
    /// <exception cref="InvalidOperationException">A rule names a cache that is not configured.</exception>
    public CacheSweeper(IReadOnlyList<InvalidationRule> rules, Func<string, ITagCache?> findCache, IEnumerable<string> cacheNames)
    {
        var problems = FindProblems(rules, name => findCache(name) is not null, cacheNames);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        _rules = [.. rules.Select(r => (r, findCache(r.CacheName)!))];
    }

    /// <summary>Describes each rule that names an unknown cache: the event type, the cache, and the fix.</summary>
    public static IReadOnlyList<string> FindProblems(IEnumerable<InvalidationRule> rules, Func<string, bool> cacheExists, IEnumerable<string> cacheNames)
    {
        var problems = new List<string>();
        foreach (var rule in rules.Where(r => !cacheExists(r.CacheName)))
        {
            problems.Add(
                $"options.InvalidateOn<{rule.EventType.Name}>(...) names the cache '{rule.CacheName}', which is not configured " +
                $"(configured: {string.Join(", ", cacheNames)}). Add it with options.AddCache(\"{rule.CacheName}\"), or pass a configured cache name.");
        }

        return problems;
    }

    public void Sweep(object domainEvent)
    {
        foreach (var (cache, tags) in Collect(domainEvent))
        {
            cache.InvalidateTags(tags);
        }
    }

    public async ValueTask SweepAsync(object domainEvent, CancellationToken cancellationToken = default)
    {
        foreach (var (cache, tags) in Collect(domainEvent))
        {
            await cache.InvalidateTagsAsync(tags, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs every tag function before invalidating anything, so a throwing function leaves no cache half-swept.</summary>
    private (ITagCache Cache, string[] Tags)[] Collect(object domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var resolved = Resolve(domainEvent.GetType());
        if (resolved.Length == 0)
        {
            return [];
        }

        var collected = new List<(ITagCache, string[])>(resolved.Length);
        foreach (var functions in resolved)
        {
            if (functions.Tags(domainEvent) is { Length: > 0 } tags)
            {
                collected.Add((functions.Cache, tags));
            }
        }

        return [.. collected];
    }

    private CacheTagFunctions[] Resolve(Type eventType) =>
        _byEventType.TryGetValue(eventType, out var resolved) ? resolved : _byEventType.GetOrAdd(eventType, Match);

    private CacheTagFunctions[] Match(Type eventType) =>
        [.. _rules
            .Where(r => r.Rule.EventType.IsAssignableFrom(eventType))
            .GroupBy(r => r.Cache, ReferenceEqualityComparer.Instance)
            .Select(g => new CacheTagFunctions((ITagCache)g.Key!, [.. g.Select(r => r.Rule.Tags)]))];

    /// <summary>The tag functions an event type triggers in one cache, so each cache gets one invalidation per event.</summary>
    private sealed class CacheTagFunctions(ITagCache cache, Func<object, IEnumerable<string>?>[] functions)
    {
        public ITagCache Cache { get; } = cache;

        public string[] Tags(object domainEvent)
        {
            if (functions.Length == 1)
            {
                return functions[0](domainEvent) is { } only ? [.. only] : [];
            }

            var tags = new List<string>();
            foreach (var function in functions)
            {
                if (function(domainEvent) is { } some)
                {
                    tags.AddRange(some);
                }
            }

            return [.. tags];
        }
    }
}
