using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TagCache.Testing;

namespace TagCache.Core.Tests.Stores;

/// <summary>
/// The background pass that frees the memory of entries invalidations made stale, driven by the fake clock's timers: it
/// runs once per <see cref="TagCacheOptions.ReclaimInterval"/> after an invalidation, frees only stale entries, and stops
/// with its cache.
/// </summary>
[TestClass]
public sealed class StaleEntryReclaimerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void Timer_IntervalPassesAfterInvalidation_FreesStaleEntriesWithoutAnyRead()
    {
        using var sut = new Reclaiming();
        sut.Fill(10_000, "Catalog");
        sut.Cache.Set("other", 1, new TagCacheEntryOptions { Tags = ["Unrelated"] });
        sut.Cache.InvalidateTags("Catalog");

        sut.Time.Advance(Interval);

        Assert.AreEqual(1, sut.Entries);
        Assert.IsTrue(sut.Cache.TryGet<int>("other", out _));
        var logged = sut.Logs.Records.Single(r => r.Id.Id == 1);
        Assert.AreEqual(LogLevel.Debug, logged.Level);
        Assert.AreEqual("TagCache: reclaimed the memory of 10000 stale entries in cache 'default'", logged.Message);
    }

    [TestMethod]
    public void Timer_BeforeTheInterval_StaleEntriesStayUntilItPasses()
    {
        using var sut = new Reclaiming();
        sut.Fill(100, "Catalog");
        sut.Cache.InvalidateTags("Catalog");

        sut.Time.Advance(Interval - TimeSpan.FromSeconds(1));
        var before = sut.Entries;
        sut.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.AreEqual(100, before, "stale, never served, but their memory waits for the pass");
        Assert.AreEqual(0, sut.Entries);
    }

    [TestMethod]
    public void Timer_IntervalPassesWithoutInvalidation_LeavesEntriesAndRunsNoPass()
    {
        using var sut = new Reclaiming();
        sut.Fill(100, "Catalog");

        sut.Time.Advance(Interval * 3);

        Assert.AreEqual(100, sut.Entries);
        Assert.IsFalse(sut.Logs.Records.Any(r => r.Id.Id == 1), "no pass without an invalidation to reclaim");
    }

    [TestMethod]
    public void Timer_OnePassPerInvalidatedInterval_NotOnePerInvalidation()
    {
        using var sut = new Reclaiming();
        sut.Fill(10, "A");
        sut.Fill(10, "B");
        sut.Cache.InvalidateTags("A");
        sut.Cache.InvalidateTags("B");

        sut.Time.Advance(Interval);
        sut.Time.Advance(Interval);

        Assert.AreEqual(1, sut.Logs.Records.Count(r => r.Id.Id == 1));
        Assert.AreEqual(0, sut.Entries);
    }

    [TestMethod]
    public void Dispose_StopsTheTimer()
    {
        var sut = new Reclaiming();
        sut.Fill(10, "Catalog");
        sut.Cache.InvalidateTags("Catalog");

        sut.Dispose();
        sut.Time.Advance(Interval);

        Assert.IsFalse(sut.Logs.Records.Any(r => r.Id.Id is 1 or 2), "a disposed cache runs no pass");
    }

    private sealed class Reclaiming : IDisposable
    {
        private readonly TagCacheProvider _provider;

        public Reclaiming()
        {
            _provider = TagCacheFactory.Create(o => o.ReclaimInterval = Interval, Time, Logs.Factory);
        }

        public FakeTimeProvider Time { get; } = new();

        public LogCapture Logs { get; } = new();

        public ITagCache Cache => _provider.GetCache(TagCacheOptions.DefaultCacheName);

        public long Entries => _provider.GetStore(TagCacheOptions.DefaultCacheName).Memory.Count;

        public void Fill(int count, string tag)
        {
            for (var i = 0; i < count; i++)
            {
                Cache.Set($"{tag}:{i}", i, new TagCacheEntryOptions { Tags = [tag] });
            }
        }

        public void Dispose()
        {
            _provider.Dispose();
            Logs.Dispose();
        }
    }
}
