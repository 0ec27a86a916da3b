using TagCache.Templates;

namespace TagCache.Events;

/// <summary>
/// One <see cref="TagCacheOptions.InvalidateOn{TEvent}(Func{TEvent, IEnumerable{string}}, string?)"/> registration: a tag
/// function, or tag templates over the event's members (compiled once, when the caches are built).
/// </summary>
internal sealed class InvalidationRule
{
    private readonly Func<object, IEnumerable<string>?>? _function;
    private readonly IReadOnlyList<string> _templates;
    private readonly Lazy<(CompiledTemplate[] Templates, IReadOnlyList<string> Problems)> _compiled;

    private InvalidationRule(Type eventType, string cacheName, Func<object, IEnumerable<string>?>? function, IReadOnlyList<string> templates)
    {
        EventType = eventType;
        CacheName = cacheName;
        _function = function;
        _templates = templates;
        _compiled = new(Compile);
    }

    public Type EventType { get; }

    public string CacheName { get; }

    /// <summary>Gets how the registration reads in code, for messages: <c>options.InvalidateOn&lt;OrderPlaced&gt;("Day_{Date}")</c>.</summary>
    public string Description =>
        $"options.InvalidateOn<{EventType.Name}>({(_function is null ? string.Join(", ", _templates.Select(t => $"\"{t}\"")) : "...")})";

    public static InvalidationRule Create<TEvent>(Func<TEvent, IEnumerable<string>> tags, string cacheName) =>
        // The cast is checked once per event type when rules are matched, so it cannot fail here.
        new(typeof(TEvent), cacheName, e => tags((TEvent)e), []);

    public static InvalidationRule FromTemplates<TEvent>(IReadOnlyList<string> templates, string cacheName) =>
        new(typeof(TEvent), cacheName, function: null, templates);

    /// <summary>Describes each problem of the registration: an unknown cache, or a template that does not fit the event type.</summary>
    public IEnumerable<string> FindProblems(Func<string, bool> cacheExists, IEnumerable<string> cacheNames)
    {
        if (!cacheExists(CacheName))
        {
            yield return $"{Description} names the cache '{CacheName}', which is not configured " +
                $"(configured: {string.Join(", ", cacheNames)}). Add it with options.AddCache(\"{CacheName}\"), or pass a configured cache name.";
        }

        foreach (var problem in _compiled.Value.Problems)
        {
            yield return problem;
        }
    }

    /// <summary>Gets the rule's templates that compiled, with their text; none for a tag function, which the build cannot see into.</summary>
    public IEnumerable<(string Text, CompiledTemplate Compiled)> CompiledTemplates =>
        _function is not null ? [] : _templates.Zip(_compiled.Value.Templates).Where(t => t.Second is not null);

    /// <summary>Gets the tags this rule invalidates for <paramref name="domainEvent"/>, which is of <see cref="EventType"/>.</summary>
    public IEnumerable<string?>? Tags(object domainEvent)
    {
        if (_function is not null)
        {
            return _function(domainEvent);
        }

        var templates = _compiled.Value.Templates;
        var tags = new string[templates.Length];
        object?[] arguments = [domainEvent];
        for (var i = 0; i < templates.Length; i++)
        {
            tags[i] = templates[i].Format(arguments);
        }

        return tags;
    }

    private (CompiledTemplate[] Templates, IReadOnlyList<string> Problems) Compile()
    {
        var scope = TemplateScope.OfMembers(EventType);
        var compiled = new CompiledTemplate[_templates.Count];
        var problems = new List<string>();
        for (var i = 0; i < _templates.Count; i++)
        {
            try
            {
                compiled[i] = TemplateCompiler.Compile(_templates[i], scope, TemplateKind.Tag);
            }
            catch (TemplateException exception)
            {
                problems.Add($"{Description} tag: {exception.Message}");
            }
        }

        return (compiled, problems);
    }
}
