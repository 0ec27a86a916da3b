using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TagCache.Templates;

namespace TagCache.AspNetCore.Fragments;

/// <summary>
/// Caches rendered fragments for <see cref="CacheTagsTagHelper"/>: a read-through of the TagCache, so the fragment's
/// rendering is a cached computation like a service call (single flight, <see cref="CacheTags.Append"/> and nested cached
/// calls add tags, a tag invalidated while it renders keeps it from being stored), and a page that contains it depends
/// on its tags.
/// </summary>
internal sealed class FragmentCaching(TagCacheProvider caches, IOptions<TagCacheOutputCacheOptions> options)
{
    private const string KeyTemplate = "fragment:{id}|{varyBy}|{version}";

    // Compiled per version type once: values are escaped as in service keys, so distinct parts never make one key.
    private readonly ConcurrentDictionary<Type, CompiledTemplate> _keys = new();

    public async Task<string> GetOrRenderAsync(FragmentRequest request, Func<Task<string>> render, CancellationToken cancellationToken)
    {
        var cache = caches.GetStore(request.Cache ?? options.Value.Cache);
        var key = KeyOf(request);
        var tags = request.Tags;

        // A cache whose entries vary by state of the caller's scope keeps a rendering per scope value, as for services.
        if (cache.Scope?.Rule is { } rule)
        {
            var scope = rule.Snapshot(request.Services.GetRequiredService);
            key += scope.KeySuffix;
            tags = scope.Stamped(tags);
        }

        // A fragment renders within its request: fail-safe and jitter apply, but no timeout or refresh, which would render
        // on after the request ended.
        var entry = new TagCacheEntryOptions { Tags = tags, Timeout = request.ExpiresAfter, Policy = cache.Resilience.Foreground };
        var html = await cache.GetOrSetAsync(key, async _ => await render().ConfigureAwait(false), entry, cancellationToken).ConfigureAwait(false);
        return html ?? string.Empty;
    }

    private string KeyOf(FragmentRequest request)
    {
        var versionType = request.Version?.GetType() ?? typeof(string);
        var template = _keys.GetOrAdd(versionType, Compile);
        return template.Format([request.Id, request.VaryBy, request.Version]);
    }

    private static CompiledTemplate Compile(Type versionType)
    {
        try
        {
            var scope = new TemplateScope(
                [new TemplateParameter("id", typeof(string), 0), new TemplateParameter("varyBy", typeof(string), 1), new TemplateParameter("version", versionType, 2)],
                resultType: null);
            return TemplateCompiler.Compile(KeyTemplate, scope, TemplateKind.Key);
        }
        catch (TemplateException exception)
        {
            throw new InvalidOperationException(
                $"<cache-tags version=\"...\"> was given a {TemplateCompiler.DisplayTypeName(versionType)}, which has no stable formatting for a key. " +
                "Pass a number, string, date, Guid or enum (e.g. @Model.UpdatedAt or @Model.Version).",
                exception);
        }
    }
}

/// <summary>What identifies a fragment and how it is kept, as the tag helper's attributes give it.</summary>
/// <param name="Id">The fragment's name, or its occurrence's id.</param>
/// <param name="VaryBy">The value it varies by.</param>
/// <param name="Version">The version value it is keyed by.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="ExpiresAfter">How long it is kept.</param>
/// <param name="Cache">The named cache that keeps it.</param>
/// <param name="Services">The request's services: the scope a cache's vary-by state is read from.</param>
internal sealed record FragmentRequest(string Id, string? VaryBy, object? Version, IReadOnlyCollection<string> Tags, TimeSpan? ExpiresAfter, string? Cache, IServiceProvider Services);
