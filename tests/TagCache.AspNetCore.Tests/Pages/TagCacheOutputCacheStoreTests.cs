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

    [TestMethod]
    public async Task SetAsync_CacheWithFailSafeAndEagerRefresh_PageExpiresOnTimeAndIsNeverAFallback()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var caches = TagCacheFactory.Create(
            o =>
            {
                o.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1);
                o.Resilience.EagerRefreshThreshold = 0.5;
            },
            time);
        var sut = Create(caches, ArrayPool<char>.Shared);
        await sut.SetAsync("k", [1, 2, 3], ["Page_1"], TimeSpan.FromMinutes(5), CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(4));
        var before = await sut.GetAsync("k", CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(2));
        var after = await sut.GetAsync("k", CancellationToken.None);

        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, before);
        Assert.IsNull(after, "the output cache renders pages itself: of the cache's resilience only jitter applies");
        Assert.ThrowsExactly<InvalidOperationException>(
            () => caches.GetCache(TagCacheOptions.DefaultCacheName).GetOrSet<byte[]>("page\u001ek", () => throw new InvalidOperationException("down"), FailSafe()),
            "nothing of the page was kept to fall back on");
    }

    [TestMethod]
    public async Task SetAsync_CacheWithJitter_PagesStoredTogetherExpireApart()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var caches = TagCacheFactory.Create(o => o.Resilience.JitterMaxDuration = TimeSpan.FromMinutes(1), time);
        var sut = Create(caches, ArrayPool<char>.Shared);
        for (var i = 0; i < 100; i++)
        {
            await sut.SetAsync($"k{i}", [1], null, TimeSpan.FromMinutes(1), CancellationToken.None);
        }

        async Task<int> Present()
        {
            var count = 0;
            for (var i = 0; i < 100; i++)
            {
                count += await sut.GetAsync($"k{i}", CancellationToken.None) is null ? 0 : 1;
            }

            return count;
        }

        time.Advance(TimeSpan.FromSeconds(90));
        var halfway = await Present();
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.IsTrue(halfway is > 0 and < 100, $"{halfway} of 100 pages left halfway through the jitter");
        Assert.AreEqual(0, await Present());
    }

    private static TagCacheEntryOptions FailSafe()
    {
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(5) };
        options.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1);
        return options;
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
