using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TagCache.Stores;
using TagCache.Tags;
using TagCache.Telemetry;
using TagCache.Testing;

namespace TagCache.Core.Tests.Support;

internal static class StoreFactory
{
    public static TagCacheStore Create(TimeProvider? time = null, long? sizeLimit = null, TimeSpan? defaultTimeout = null, TimeSpan? sweepInterval = null) =>
        new(
            TagCacheOptions.DefaultCacheName,
            defaultTimeout ?? TimeSpan.FromHours(1),
            sizeLimit,
            sweepInterval ?? TimeSpan.FromHours(1),
            new InMemoryTagVersionStore(),
            time ?? new FakeTimeProvider(),
            new CacheTelemetry(TagCacheOptions.DefaultCacheName, new TagCacheInstruments(meterFactory: null, () => []), new TagCacheOptions(), NullLogger.Instance));

    public static TagCacheEntryOptions Tags(params string[] tags) => new() { Tags = tags };
}
