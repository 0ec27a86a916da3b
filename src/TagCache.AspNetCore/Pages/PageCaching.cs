using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using TagCache.Stores;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// The output cache policy steps of a tag-cached endpoint. The request rules are those of ASP.NET Core's default policy
/// (GET or HEAD, not authenticated; only 200 responses without cookies are stored; responses vary by every query key);
/// what TagCache adds is the recording of what the response depends on, started before the cache lookup so that a tag
/// invalidated at any time during rendering keeps the page from being stored.
/// </summary>
internal sealed class PageCaching(PagePlans plans, PageStore pages, IOptions<TagCacheOutputCacheOptions> options)
{
    /// <summary>The vary-by value that keeps a page per value of the caller's scope state.</summary>
    private const string ScopeVaryByName = "tagcache-scope";

    private readonly string? _statusHeader = options.Value.StatusHeader;

    public void CacheRequest(OutputCacheContext context, OutputCacheWithTagsAttribute attribute)
    {
        var http = context.HttpContext;
        var plan = plans.For(http.GetEndpoint() ?? throw new InvalidOperationException("[OutputCacheWithTags] ran outside an endpoint."), attribute);
        var attempt = IsCacheable(http);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = attempt;
        context.AllowCacheStorage = attempt;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        if (plan.VaryByHeaderNames.Length > 0)
        {
            context.CacheVaryByRules.HeaderNames = StringValues.Concat(context.CacheVaryByRules.HeaderNames, plan.VaryByHeaderNames);
        }

        if (plan.Timeout is { } timeout)
        {
            context.ResponseExpirationTimeSpan = timeout;
        }

        if (!attempt)
        {
            return;
        }

        // A cache whose entries vary by state of the caller's scope keeps a page per scope value, as it keeps service values.
        IReadOnlyCollection<string> tags = plan.FormatTags(http.Request);
        if (pages.Store.Scope?.Rule is { } rule)
        {
            var scope = rule.Snapshot(http.RequestServices.GetRequiredService);
            context.CacheVaryByRules.VaryByValues[ScopeVaryByName] = scope.Text;
            tags = scope.Stamped(tags);
        }

        // Stamped before the lookup: a render that follows a miss depends on versions no newer than these.
        var page = PageRecording.Start(pages.Store.BeginExternal(plan.Site, tags));
        http.Response.RegisterForDispose(page);
        if (_statusHeader is { } header)
        {
            http.Response.OnStarting(
                static state =>
                {
                    var (page, header, response) = ((PageRecording, string, HttpResponse))state;
                    response.Headers[header] = page.ServedFromCache ? "hit" : "miss";
                    return Task.CompletedTask;
                },
                (page, header, http.Response));
        }
    }

    public static void ServeFromCache(OutputCacheContext context) => PageRecording.Current?.Served();

    public static void ServeResponse(OutputCacheContext context)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || !StringValues.IsNullOrEmpty(response.Headers.SetCookie))
        {
            context.AllowCacheStorage = false;
        }

        // Not stored, and not handed to requests waiting on this one: it may show data older than an invalidation they saw.
        if (PageRecording.Current?.Computation is { IsCurrent: false })
        {
            context.AllowCacheStorage = false;
        }
    }

    private static bool IsCacheable(HttpContext http)
    {
        var request = http.Request;
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && StringValues.IsNullOrEmpty(request.Headers.Authorization)
            && http.User?.Identity?.IsAuthenticated != true;
    }
}
