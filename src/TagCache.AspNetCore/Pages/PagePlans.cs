using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using TagCache.Stores;
using TagCache.Templates;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// Compiles each tag-cached endpoint's plan once: at startup for every endpoint the app maps (see
/// <see cref="EndpointCheck"/>), or at its first request for one added later. A problem is a
/// <see cref="TagCacheConfigurationException"/> naming the endpoint, the template and the fix.
/// </summary>
internal sealed class PagePlans(TagCacheStore store)
{
    /// <summary>What the configuration errors of this package say they checked.</summary>
    internal const string Subject = "cached endpoints";

    private readonly ConcurrentDictionary<Endpoint, PagePlan> _plans = new();

    public PagePlan For(Endpoint endpoint, OutputCacheWithTagsAttribute attribute) =>
        _plans.TryGetValue(endpoint, out var plan) ? plan : _plans.GetOrAdd(endpoint, Compile(endpoint, attribute));

    /// <summary>Compiles the plan of every tag-cached endpoint; returns every problem found, one line each.</summary>
    public IReadOnlyList<string> CheckAll(IEnumerable<Endpoint> endpoints)
    {
        var problems = new List<string>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<OutputCacheWithTagsAttribute>() is not { } attribute)
            {
                continue;
            }

            if (TryCompile(endpoint, attribute, problems) is { } plan)
            {
                _plans[endpoint] = plan;
            }
        }

        return problems;
    }

    private PagePlan Compile(Endpoint endpoint, OutputCacheWithTagsAttribute attribute)
    {
        var problems = new List<string>();
        return TryCompile(endpoint, attribute, problems) ?? throw new TagCacheConfigurationException(problems, Subject);
    }

    private PagePlan? TryCompile(Endpoint endpoint, OutputCacheWithTagsAttribute attribute, List<string> problems)
    {
        var name = Describe(endpoint);
        var before = problems.Count;
        if (endpoint.Metadata.GetMetadata<IOutputCachePolicy>() is { } policy && !ReferenceEquals(policy, attribute))
        {
            problems.Add(
                $"{name}: its output cache policy is {policy.GetType().Name}, added after [OutputCacheWithTags({Quote(attribute.Tags)})] (or CacheWithTags), " +
                $"so its tag templates would never apply. Remove the other policy; for vary-by rules use [OutputCache(VaryBy...)] (it composes) or the " +
                "attribute's QueryKeys and VaryByHeaderNames.");
        }

        if (attribute.Timeout < -1)
        {
            problems.Add($"{name}: Timeout = {attribute.Timeout} is not a duration. Use seconds (> 0), 0 for the output cache's default, or -1 for no expiry.");
        }

        var values = Values(endpoint, attribute, name, problems);
        var scope = new TemplateScope([.. values.Select((v, i) => new TemplateParameter(v.Name, v.Type, i))], resultType: null);
        var templates = new List<CompiledTemplate>(attribute.Tags.Count);
        foreach (var template in attribute.Tags)
        {
            try
            {
                templates.Add(TemplateCompiler.Compile(template, scope, TemplateKind.Tag));
            }
            catch (TemplateException exception)
            {
                problems.Add($"{name}: {exception.Message} (A page template names route values, and query keys listed in QueryKeys.)");
            }
        }

        var headers = attribute.VaryByHeaderNames ?? [];
        if (headers.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add($"{name}: VaryByHeaderNames contains an empty name. Remove it.");
        }

        if (problems.Count > before)
        {
            return null;
        }

        var timeout = attribute.Timeout switch
        {
            0 => (TimeSpan?)null,
            -1 => TimeSpan.MaxValue,
            var seconds => TimeSpan.FromSeconds(seconds),
        };
        return new PagePlan(store.SiteOf(endpoint.DisplayName ?? name), templates, values, timeout, headers);
    }

    private static List<PageValue> Values(Endpoint endpoint, OutputCacheWithTagsAttribute attribute, string name, List<string> problems)
    {
        var values = new List<PageValue>();
        if (endpoint is RouteEndpoint route)
        {
            foreach (var parameter in route.RoutePattern.Parameters)
            {
                var constraints = route.RoutePattern.ParameterPolicies.TryGetValue(parameter.Name, out var policies)
                    ? policies.Select(p => p.Content)
                    : [];
                values.Add(new PageValue(parameter.Name, fromQuery: false, PageValue.TypeOf(constraints)));
            }

            // MVC and Razor Pages routes fix 'controller', 'action', 'page' and the like.
            foreach (var required in route.RoutePattern.RequiredValues.Keys)
            {
                if (!values.Any(v => string.Equals(v.Name, required, StringComparison.OrdinalIgnoreCase)))
                {
                    values.Add(new PageValue(required, fromQuery: false, typeof(string)));
                }
            }
        }

        foreach (var key in attribute.QueryKeys ?? [])
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                problems.Add($"{name}: QueryKeys contains an empty key. Remove it.");
            }
            else if (values.Any(v => string.Equals(v.Name, key, StringComparison.OrdinalIgnoreCase)))
            {
                problems.Add($"{name}: '{key}' in QueryKeys is also a route value (or listed twice), so {{{key}}} would be ambiguous. Rename the query key or drop it.");
            }
            else
            {
                values.Add(new PageValue(key, fromQuery: true, typeof(string)));
            }
        }

        return values;
    }

    private static string Quote(IReadOnlyList<string> tags) => string.Join(", ", tags.Select(t => $"\"{t}\""));

    private static string Describe(Endpoint endpoint) => $"Endpoint '{endpoint.DisplayName ?? endpoint.ToString()}'";
}
