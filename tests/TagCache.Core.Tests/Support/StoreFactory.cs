using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TagCache.Stores;
using TagCache.Tags;
using TagCache.Telemetry;
using TagCache.Testing;

namespace TagCache.Core.Tests.Support;

internal static class StoreFactory
{
    public static TagCacheStore Create(TimeProvider? time = null, long? sizeLimit = null, TimeSpan? defaultTimeout = null, TimeSpan? sweepInterval = null, ITagVersionStore? versions = null, TagCacheResilienceOptions? resilience = null) =>
        new(
            TagCacheOptions.DefaultCacheName,
            defaultTimeout ?? TimeSpan.FromHours(1),
            sizeLimit,
            sweepInterval ?? TimeSpan.FromHours(1),
            versions ?? new InMemoryTagVersionStore(),
            time ?? new FakeTimeProvider(),
            new CacheTelemetry(TagCacheOptions.DefaultCacheName, new TagCacheInstruments(meterFactory: null, () => []), new TagCacheOptions { TrackStatistics = true }, NullLogger.Instance),
            resilience: Resilience.ResiliencePolicy.None.Over(resilience));

    public static TagCacheEntryOptions Tags(params string[] tags) => new() { Tags = tags };
}

/// <summary>In-memory tag versions behind a staleness gate the test opens and closes, as a shared store's would be.</summary>
internal sealed class GatedVersions(TimeProvider time) : ITagVersionStore
{
    private readonly InMemoryTagVersionStore _inner = new();

    public StalenessGate Gate { get; } = new(time);

    StalenessGate? ITagVersionStore.Gate => Gate;

    public long CurrentSequence => _inner.CurrentSequence;

    public TagState Acquire(string tag) => _inner.Acquire(tag);

    public void Invalidate(IReadOnlyList<string> tags) => _inner.Invalidate(tags);

    public ValueTask InvalidateAsync(IReadOnlyList<string> tags, CancellationToken cancellationToken) => _inner.InvalidateAsync(tags, cancellationToken);

    public ValueTask InvalidateEverythingAsync(CancellationToken cancellationToken) => _inner.InvalidateEverythingAsync(cancellationToken);

    public void Open() => Gate.OpenUntil(long.MaxValue);
}
