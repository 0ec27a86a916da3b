using TagCache.AspNetCore;

// In the namespace of MapGet, so the extension is found where endpoints are mapped.
namespace Microsoft.AspNetCore.Builder;

/// <summary>Caches minimal API endpoints in TagCache with tag templates over route values.</summary>
public static class TagCacheEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Caches the endpoint's responses with ASP.NET Core's output caching in TagCache, stamped with <paramref name="tags"/>
    /// formatted from route values, plus the tags of every cached call made while producing them. See
    /// <see cref="OutputCacheWithTagsAttribute"/>; templates are checked when the app starts.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint (or group) builder.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <param name="tags">Tag templates, e.g. <c>"Product_{id}", "Catalog"</c>.</param>
    /// <returns>The builder.</returns>
    public static TBuilder CacheWithTags<TBuilder>(this TBuilder builder, params string[] tags)
        where TBuilder : IEndpointConventionBuilder =>
        builder.CacheWithTags(tags, timeout: null);

    /// <summary>
    /// Caches the endpoint's responses in TagCache, as <see cref="CacheWithTags{TBuilder}(TBuilder, string[])"/> does, for
    /// <paramref name="timeout"/> and with query values usable in the templates.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint (or group) builder.</typeparam>
    /// <param name="builder">The endpoint.</param>
    /// <param name="tags">Tag templates, e.g. <c>["Product_{id}", "Catalog"]</c>.</param>
    /// <param name="timeout">How long a page is kept; <see langword="null"/> means the output cache's default, <see cref="Timeout.InfiniteTimeSpan"/> no expiry.</param>
    /// <param name="queryKeys">Query keys the templates may use as <c>{key}</c>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is zero, negative (but infinite) or not whole seconds.</exception>
    public static TBuilder CacheWithTags<TBuilder>(this TBuilder builder, IEnumerable<string> tags, TimeSpan? timeout, IEnumerable<string>? queryKeys = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(tags);
        var attribute = new OutputCacheWithTagsAttribute([.. tags])
        {
            Timeout = Seconds(timeout),
            QueryKeys = queryKeys is null ? [] : [.. queryKeys],
        };

        // Last, so it is the endpoint's output cache policy even if another convention added one.
        builder.Finally(endpoint => endpoint.Metadata.Add(attribute));
        return builder;
    }

    private static int Seconds(TimeSpan? timeout)
    {
        if (timeout is not { } value)
        {
            return 0;
        }

        if (value == System.Threading.Timeout.InfiniteTimeSpan)
        {
            return -1;
        }

        if (value <= TimeSpan.Zero || value.Ticks % TimeSpan.TicksPerSecond != 0 || value.TotalSeconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                nameof(timeout),
                value,
                "A page timeout is a positive whole number of seconds (or Timeout.InfiniteTimeSpan for no expiry), e.g. TimeSpan.FromMinutes(10).");
        }

        return (int)value.TotalSeconds;
    }
}
