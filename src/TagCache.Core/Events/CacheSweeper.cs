using System.Collections.Concurrent;
using TagCache.Stores;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Events;

/// <summary>
/// Applies the <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/> registrations.
/// Which rules apply to an event type (its own, its base types' and its interfaces') is worked out once per type; a sweep
/// only runs the tag functions and templates.
/// </summary>
internal sealed class CacheSweeper : ICacheSweeper
{
    private readonly (InvalidationRule Rule, ITagCache Cache)[] _rules;
    private readonly ConcurrentDictionary<Type, CacheRules[]> _byEventType = new();

    /// <summary>Binds every rule to its cache once, so a sweep looks nothing up by name.</summary>
    /// <param name="rules">The registrations, in registration order.</param>
    /// <param name="findCache">Returns the named cache, or null when no cache has that name.</param>
    /// <remarks>The rules were checked with the rest of the options (<see cref="TagCacheOptions.ThrowIfInvalid"/>), so every rule's cache exists.</remarks>
    public CacheSweeper(IReadOnlyList<InvalidationRule> rules, Func<string, ITagCache?> findCache) =>
        _rules = [.. rules.Select(r => (r, findCache(r.CacheName) ?? throw new InvalidOperationException($"{r.Description} names an unknown cache; the options check should have caught it.")))];

    public void Sweep(object domainEvent)
    {
        List<Exception>? failures = null;
        foreach (var (cache, tags) in Collect(domainEvent))
        {
            try
            {
                cache.InvalidateTags(tags, InvalidationOrigin.Event);
            }
            catch (Exception exception)
            {
                InvalidationFailures.Add(ref failures, exception);
            }
        }

        InvalidationFailures.ThrowIfAny(failures);
    }

    public async ValueTask SweepAsync(object domainEvent, CancellationToken cancellationToken = default)
    {
        List<Exception>? failures = null;
        foreach (var (cache, tags) in Collect(domainEvent))
        {
            try
            {
                await cache.InvalidateTagsAsync(tags, InvalidationOrigin.Event, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                InvalidationFailures.Add(ref failures, exception);
            }
        }

        InvalidationFailures.ThrowIfAny(failures);
    }

    /// <summary>
    /// Runs every tag function and checks every tag before invalidating anything, so a throwing function or an invalid tag
    /// leaves no cache half-swept.
    /// </summary>
    private (ITagCache Cache, string[] Tags)[] Collect(object domainEvent)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var resolved = Resolve(domainEvent.GetType());
        if (resolved.Length == 0)
        {
            return [];
        }

        var collected = new List<(ITagCache, string[])>(resolved.Length);
        foreach (var cacheRules in resolved)
        {
            if (cacheRules.Tags(domainEvent) is { Length: > 0 } tags)
            {
                collected.Add((cacheRules.Cache, tags));
            }
        }

        return [.. collected];
    }

    private CacheRules[] Resolve(Type eventType) =>
        _byEventType.TryGetValue(eventType, out var resolved) ? resolved : _byEventType.GetOrAdd(eventType, Match);

    private CacheRules[] Match(Type eventType) =>
        [.. _rules
            .Where(r => r.Rule.EventType.IsAssignableFrom(eventType))
            .GroupBy(r => r.Cache, ReferenceEqualityComparer.Instance)
            .Select(g => new CacheRules((ITagCache)g.Key!, [.. g.Select(r => r.Rule)]))];

    /// <summary>The rules an event type triggers in one cache, so each cache gets one invalidation per event.</summary>
    private sealed class CacheRules(ITagCache cache, InvalidationRule[] rules)
    {
        public ITagCache Cache { get; } = cache;

        public string[] Tags(object domainEvent)
        {
            var tags = new List<string>();
            foreach (var rule in rules)
            {
                foreach (var tag in rule.Tags(domainEvent) ?? [])
                {
                    tags.Add(string.IsNullOrEmpty(tag)
                        ? throw new ArgumentException($"{rule.Description} gave a null or empty tag for {domainEvent.GetType().Name}. {TagNames.InvalidMessage}", nameof(domainEvent))
                        : tag);
                }
            }

            return [.. tags];
        }
    }
}
