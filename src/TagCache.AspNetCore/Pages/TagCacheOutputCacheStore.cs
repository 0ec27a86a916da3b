using System.Buffers;
using Microsoft.AspNetCore.OutputCaching;
using TagCache.Stores;
using TagCache.Telemetry;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// ASP.NET Core's output cache store, kept in a TagCache: pages share the tag versions of cached services, so any
/// invalidation (attributes, sweeps, <see cref="ITagCache.InvalidateTags"/>, another node's) evicts the pages carrying the
/// tag, and <see cref="EvictByTagAsync"/> is one more invalidation. A page of a tag-cached endpoint is stored with every
/// tag it depends on, unless one moved while it rendered; any other output-cached page with its policy's tags.
/// </summary>
/// <param name="pages">The cache pages are kept in.</param>
/// <param name="pool">Where a key too long for the stack is formatted (the shared pool; a test's own to count).</param>
internal sealed class TagCacheOutputCacheStore(PageStore pages, ArrayPool<char> pool) : IOutputCacheStore
{
    public TagCacheOutputCacheStore(PageStore pages)
        : this(pages, ArrayPool<char>.Shared)
    {
    }

    // Page keys live beside service keys in the same cache; the separator the output cache uses itself keeps them apart.
    private const string KeyPrefix = "page\u001e";

    private const int StackKeyLength = 256;

    private readonly TagCacheStore _store = pages.Store;

    private readonly SiteTelemetry _otherPages = pages.Store.SiteOf("output cache");

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        // Looked up as a span, like intercepted calls: a page hit allocates no key.
        var length = KeyPrefix.Length + key.Length;
        char[]? rented = null;
        var buffer = length <= StackKeyLength ? stackalloc char[StackKeyLength] : (rented = pool.Rent(length));
        Lookup lookup;
        object? value;
        try
        {
            KeyPrefix.CopyTo(buffer);
            key.CopyTo(buffer[KeyPrefix.Length..]);
            lookup = _store.Look(buffer[..length], out value);
        }
        finally
        {
            if (rented is not null)
            {
                pool.Return(rented);
            }
        }

        // Only a page is a hit: anything else under a page's key (written there through ITagCache) serves nothing.
        var page = lookup.IsServed() ? value as byte[] : null;
        (PageRecording.Current?.Computation?.Site ?? _otherPages).Count(page is null && lookup.IsServed() ? Lookup.Absent : lookup);
        return new(page);
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        var stored = string.Concat(KeyPrefix, key);
        if (PageRecording.Current is { } page)
        {
            page.TryStore(stored, value, tags, validFor);
        }
        else
        {
            // The output cache renders and stores pages itself: of the cache's resilience, only the jitter applies.
            _store.Set(stored, value, new TagCacheEntryOptions { Tags = tags ?? [], Timeout = validFor, Policy = _store.Resilience.StoreOnly });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
        _store.InvalidateTagsAsync([tag], InvalidationOrigin.Manual, cancellationToken);
}
