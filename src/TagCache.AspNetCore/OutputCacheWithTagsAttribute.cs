using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Pages;

namespace TagCache.AspNetCore;

/// <summary>
/// Caches the responses of an endpoint (an MVC action or controller, a Razor Page model, or a minimal API through
/// <c>CacheWithTags</c>) in TagCache with ASP.NET Core's output caching, stamped with tags formatted from route values
/// and named query values, e.g. <c>[OutputCacheWithTags("Product_{id}", "Catalog", Timeout = 600)]</c>. Cached service
/// calls made while the response is produced tag it too, so <c>[InvalidateTags("Product_5")]</c> evicts every page that
/// read product 5; a tag invalidated while the page renders keeps it from being stored. Templates are checked when the
/// app starts. Needs <c>services.AddTagCacheOutputCache()</c> and <c>app.UseOutputCache()</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class OutputCacheWithTagsAttribute : Attribute, IOutputCachePolicy
{
    /// <summary>Initializes a new instance of the <see cref="OutputCacheWithTagsAttribute"/> class.</summary>
    /// <param name="tags">
    /// Tag templates: <c>{name}</c> is a route value (or a query value named in <see cref="QueryKeys"/>), formatted as
    /// service templates format it (a route value constrained to <c>int</c>, <c>long</c>, <c>bool</c> or <c>guid</c> is
    /// formatted as that type, so <c>/products/05</c> and <c>GetProduct(5)</c> both make <c>Product_5</c>).
    /// </param>
    public OutputCacheWithTagsAttribute(params string[] tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        Tags = [.. tags];
    }

    /// <summary>Gets the tag templates.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>
    /// Gets or sets how long a page is kept, in seconds; 0 (the default) means the output cache's
    /// <c>DefaultExpirationTimeSpan</c>, -1 means no expiry (only invalidation removes it).
    /// </summary>
    public int Timeout { get; set; }

    /// <summary>Gets or sets the query keys the templates may use, each as <c>{key}</c>. Responses vary by every query key regardless.</summary>
    public string[] QueryKeys { get; set; } = [];

    /// <summary>Gets or sets the request headers responses vary by (e.g. <c>Accept-Language</c>).</summary>
    public string[] VaryByHeaderNames { get; set; } = [];

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        Caching(context.HttpContext).CacheRequest(context, this);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        PageCaching.ServeFromCache(context);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        PageCaching.ServeResponse(context);
        return ValueTask.CompletedTask;
    }

    private static PageCaching Caching(HttpContext http) =>
        http.RequestServices.GetService<PageCaching>() ?? throw new InvalidOperationException(
            $"[OutputCacheWithTags] on '{http.GetEndpoint()?.DisplayName}' needs TagCache's output cache store. " +
            "Call services.AddTagCacheOutputCache() (after registering TagCache) and app.UseOutputCache().");
}
