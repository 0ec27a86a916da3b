using System.Buffers;
using Microsoft.Extensions.Options;
using TagCache.AspNetCore.Pages;

namespace TagCache.AspNetCore.Tests.Pages;

/// <summary>The output cache store over a TagCache, directly: what it counts, what it returns, and what it gives back.</summary>
[TestClass]
public sealed class TagCacheOutputCacheStoreTests
{
    [TestMethod]
    public async Task GetAsync_KeyHoldsSomethingElseThanAPage_IsAMissCountedAsOne()
    {
        using var caches = TagCacheFactory.Create(o => o.TrackStatistics = true);
        var sut = Create(caches, ArrayPool<char>.Shared);
        caches.GetCache(TagCacheOptions.DefaultCacheName).Set("page\u001ek", "not a page");

        var page = await sut.GetAsync("k", CancellationToken.None);

        Assert.IsNull(page);
        var statistics = caches.GetCurrentStatistics()!;
        Assert.AreEqual(0, statistics.Hits, "nothing was served");
        Assert.AreEqual(1, statistics.Misses);
    }

    [TestMethod]
    public async Task GetAsync_LongKeyAndTheLookupThrows_GivesItsBufferBack()
    {
        var caches = TagCacheFactory.Create();
        var pool = new CountingPool();
        var sut = Create(caches, pool);
        caches.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => sut.GetAsync(new string('k', 1_000), CancellationToken.None).AsTask());

        Assert.AreEqual(1, pool.Rented);
        Assert.AreEqual(1, pool.Returned);
    }

    private static TagCacheOutputCacheStore Create(TagCacheProvider caches, ArrayPool<char> pool) =>
        new(new PageStore(caches, Options.Create(new TagCacheOutputCacheOptions())), pool);

    private sealed class CountingPool : ArrayPool<char>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public override char[] Rent(int minimumLength)
        {
            Rented++;
            return new char[minimumLength];
        }

        public override void Return(char[] array, bool clearArray = false) => Returned++;
    }
}
