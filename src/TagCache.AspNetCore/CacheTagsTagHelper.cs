using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Fragments;

namespace TagCache.AspNetCore;

/// <summary>
/// Caches a fragment of a view in TagCache, the counterpart of django-cache-tags' <c>{% cachetags %}</c>:
/// <c>&lt;cache-tags tags="Category_@Model.CategoryId, Catalog" expires-after="@TimeSpan.FromMinutes(10)"&gt;…&lt;/cache-tags&gt;</c>.
/// <see cref="CacheTags.Append"/> inside the fragment and cached service calls made while it renders add their tags; any
/// invalidation of one of them evicts it, and a page that contains it depends on them too. <see cref="Version"/> keys it by
/// a version value as well (django-cachesweeper's version tokens), so a new version renders afresh without an invalidation.
/// Needs <c>services.AddTagCacheOutputCache()</c> and <c>@addTagHelper *, TagCache.AspNetCore</c>.
/// </summary>
[HtmlTargetElement("cache-tags")]
public sealed class CacheTagsTagHelper : TagHelper
{
    /// <summary>Gets or sets the fragment's tags, comma-separated and already formatted (Razor formats <c>@</c> values).</summary>
    [HtmlAttributeName("tags")]
    public string? Tags { get; set; }

    /// <summary>Gets or sets how long the fragment is kept; the cache's default timeout when not set.</summary>
    [HtmlAttributeName("expires-after")]
    public TimeSpan? ExpiresAfter { get; set; }

    /// <summary>Gets or sets a value the fragment varies by (one rendering is kept per value).</summary>
    [HtmlAttributeName("vary-by")]
    public string? VaryBy { get; set; }

    /// <summary>
    /// Gets or sets a version value the fragment is keyed by (a number, string, date, Guid or enum), e.g.
    /// <c>version="@Model.UpdatedAt"</c>: a new value renders afresh.
    /// </summary>
    [HtmlAttributeName("version")]
    public object? Version { get; set; }

    /// <summary>
    /// Gets or sets the fragment's name; fragments of the same name (and vary-by and version) share their rendering across
    /// views. When not set, each occurrence in a view is its own fragment.
    /// </summary>
    [HtmlAttributeName("name")]
    public string? Name { get; set; }

    /// <summary>Gets or sets the named TagCache that keeps the fragment; the one pages use when not set.</summary>
    [HtmlAttributeName("cache")]
    public string? Cache { get; set; }

    /// <summary>Gets or sets a value indicating whether the fragment is cached; when false it renders every time.</summary>
    [HtmlAttributeName("enabled")]
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the view context (set by MVC).</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <inheritdoc/>
    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        output.TagName = null;
        if (!Enabled)
        {
            output.Content.SetHtmlContent(await output.GetChildContentAsync().ConfigureAwait(false));
            return;
        }

        var http = ViewContext.HttpContext;
        var fragments = http.RequestServices.GetService<FragmentCaching>() ?? throw new InvalidOperationException(
            $"<cache-tags> in '{ViewContext.View?.Path}' needs TagCache's fragment cache. Call services.AddTagCacheOutputCache() after registering TagCache.");
        var request = new FragmentRequest(Name ?? context.UniqueId, VaryBy, Version, ParseTags(), ValidExpiry(), Cache, http.RequestServices);
        var html = await fragments.GetOrRenderAsync(
            request,
            async () => (await output.GetChildContentAsync().ConfigureAwait(false)).GetContent(),
            http.RequestAborted).ConfigureAwait(false);
        output.Content.SetHtmlContent(html);
    }

    private string[] ParseTags()
    {
        if (string.IsNullOrWhiteSpace(Tags))
        {
            return [];
        }

        // The tags hold the model's values: the message says which one is empty, not what the others are.
        var tags = Tags.Split(',', StringSplitOptions.TrimEntries);
        var empty = Array.FindIndex(tags, t => t.Length == 0);
        return empty >= 0
            ? throw new InvalidOperationException(
                $"<cache-tags tags=\"...\"> in '{ViewContext.View?.Path}' has an empty tag (tag {empty + 1} of {tags.Length}). Separate tags with single commas, e.g. tags=\"Category_@Model.Id, Catalog\".")
            : tags;
    }

    private TimeSpan? ValidExpiry() =>
        ExpiresAfter is { } expiry && expiry <= TimeSpan.Zero && expiry != Timeout.InfiniteTimeSpan
            ? throw new InvalidOperationException(
                $"<cache-tags expires-after=\"{expiry}\"> in '{ViewContext.View?.Path}' is not a duration. Use a positive TimeSpan, e.g. @TimeSpan.FromMinutes(10).")
            : ExpiresAfter;
}
