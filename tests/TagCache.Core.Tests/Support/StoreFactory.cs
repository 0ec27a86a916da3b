using Microsoft.Extensions.Logging.Abstractions;
using TagCache.Stores;
using TagCache.Tags;
using TagCache.Testing;

namespace TagCache.Core.Tests.Support;

internal static class StoreFactory
{
    public static TagCacheStore Create(FakeTimeProvider? time = null, long? sizeLimit = null, TimeSpan? defaultTimeout = null) =>
        new(
            TagCacheOptions.DefaultCacheName,
            defaultTimeout ?? TimeSpan.FromHours(1),
            sizeLimit,
            TimeSpan.FromHours(1),
            new InMemoryTagVersionStore(),
            time ?? new FakeTimeProvider(),
            NullLogger.Instance);

    public static TagCacheEntryOptions Tags(params string[] tags) => new() { Tags = tags };
}
