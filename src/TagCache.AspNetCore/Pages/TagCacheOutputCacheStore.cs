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
internal sealed class TagCacheOutputCacheStore(PageStore pages) : IOutputCacheStore
{
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
        var buffer = length <= StackKeyLength ? stackalloc char[StackKeyLength] : (rented = ArrayPool<char>.Shared.Rent(length));
        KeyPrefix.CopyTo(buffer);
        key.CopyTo(buffer[KeyPrefix.Length..]);
        var lookup = _store.Look(buffer[..length], out var value);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }

        (PageRecording.Current?.Computation?.Site ?? _otherPages).Count(lookup);
        return new(lookup == Lookup.Hit ? value as byte[] : null);
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
            _store.Set(stored, value, new TagCacheEntryOptions { Tags = tags ?? [], Timeout = validFor });
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) =>
        _store.InvalidateTagsAsync([tag], InvalidationOrigin.Manual, cancellationToken);
}
