using TagCache.Templates;

namespace TagCache.Interception.Checks;

/// <summary>
/// Finds invalidations that can match nothing: an <see cref="InvalidateTagsAttribute"/> template or a template
/// <c>InvalidateOn</c> rule that no cached tag template of its cache (nor any <see cref="TagCacheOptions.DeclareTags"/>)
/// can produce, such as a misspelt <c>Customers_{id}</c> for <c>Customer_{id}</c>, or an attribute missing its
/// <c>Cache = "..."</c>. Each finding names the template, where it is, and the nearest cached shape.
/// </summary>
internal static class InvalidationCheck
{
    /// <param name="uses">The tag templates of the checked services' attributes.</param>
    /// <param name="options">The options, for their <c>InvalidateOn</c> rules and declared tags.</param>
    /// <returns>One message per invalidation template that can match nothing.</returns>
    public static IReadOnlyList<string> FindUnmatched(IEnumerable<TagUse> uses, TagCacheOptions options)
    {
        var all = uses.ToList();
        foreach (var rule in options.InvalidationRules)
        {
            all.AddRange(rule.CompiledTemplates.Select(t =>
                new TagUse(rule.CacheName, Owner: null, $"options.InvalidateOn<{rule.EventType.Name}>(\"{t.Text}\")", t.Compiled.Shape, Invalidates: true)));
        }

        all.AddRange(options.DeclaredTags.Select(d => new TagUse(d.Cache, "options.DeclareTags", d.Template, d.Shape, Invalidates: false)));
        var cached = all.Where(u => !u.Invalidates).ToList();
        return
        [
            .. all

                // An invalidation in a cache that does not exist is reported as such, not again here.
                .Where(u => u.Invalidates && options.CacheNames.Contains(u.Cache))
                .DistinctBy(u => (u.Cache, u.Owner, u.Label))
                .Where(u => !cached.Any(c => c.Cache == u.Cache && c.Shape.Overlaps(u.Shape)))
                .Select(u => Describe(u, cached)),
        ];
    }

    private static string Describe(TagUse invalidation, List<TagUse> cached)
    {
        var finding = $"`{invalidation.Label}`{(invalidation.Owner is { } owner ? " on " + owner : string.Empty)} matches no cached tag in cache '{invalidation.Cache}'";
        if (cached.FirstOrDefault(c => c.Shape.Overlaps(invalidation.Shape)) is { } elsewhere)
        {
            var fix = invalidation.Owner is null ? $"pass cache: \"{elsewhere.Cache}\" to InvalidateOn" : $"set Cache = \"{elsewhere.Cache}\" on the attribute";
            return $"{finding}; did you mean cache '{elsewhere.Cache}', where `{elsewhere.Shape}` ({elsewhere.Owner}) is cached? If so, {fix}.";
        }

        var nearest = cached
            .OrderBy(c => c.Shape.DistanceTo(invalidation.Shape))
            .ThenBy(c => c.Cache == invalidation.Cache ? 0 : 1)
            .FirstOrDefault();
        return nearest is null
            ? $"{finding}: no cached method has tags. If entries get such tags at run time (CacheTags.Append, ITagCache.GetOrSet), declare them with options.DeclareTags."
            : $"{finding}; did you mean `{nearest.Shape}` ({nearest.Owner}{(nearest.Cache == invalidation.Cache ? string.Empty : $", cache '{nearest.Cache}'")})?";
    }
}
