namespace TagCache.Core.Tests.Telemetry;

/// <summary><see cref="TagCacheProvider.GetCurrentStatistics"/>: the snapshot for applications without OpenTelemetry.</summary>
[TestClass]
public sealed class StatisticsTests
{
    [TestMethod]
    public void GetCurrentStatistics_TrackStatisticsOff_ReturnsNull()
    {
        using var observed = new ObservedCaches();
        observed.Cache.GetOrSet("k", () => 1);

        Assert.IsNull(observed.Provider.GetCurrentStatistics());
    }

    [TestMethod]
    public void GetCurrentStatistics_UnknownCache_ThrowsNamingTheConfiguredCaches()
    {
        using var observed = new ObservedCaches(o => o.TrackStatistics = true);

        var thrown = Assert.ThrowsExactly<KeyNotFoundException>(() => observed.Provider.GetCurrentStatistics("nope"));

        StringAssert.Contains(thrown.Message, "Configured caches: default");
    }

    [TestMethod]
    public async Task GetCurrentStatistics_AfterEveryKindOfEvent_CountsEachOnceInItsCache()
    {
        using var observed = new ObservedCaches(o => o.AddCache("other").TrackStatistics = true);
        var cache = observed.Cache;
        var tagged = new TagCacheEntryOptions { Tags = ["t"] };

        cache.GetOrSet("stored", () => 1, tagged);                                   // miss absent, stored
        cache.TryGet<int>("stored", out _);                                          // hit
        cache.GetOrSet("discarded", () => { cache.InvalidateTags("u"); return 1; }, new TagCacheEntryOptions { Tags = ["u"] });
        Assert.ThrowsExactly<InvalidOperationException>(() => cache.GetOrSet<int>("failed", () => throw new InvalidOperationException()));
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await cache.GetOrSetAsync<int>("cancelled", _ => throw new OperationCanceledException()));
        cache.InvalidateTags("t", "v");                                              // 2 tags (u was 1 more)
        cache.TryGet<int>("stored", out _);                                          // miss stale
        await JoinOnce(cache);                                                       // 2 misses, 1 stored, 1 join
        observed.Provider.GetCache("other").TryGet<int>("x", out _);

        var stats = observed.Provider.GetCurrentStatistics()!;
        Assert.AreEqual("default", stats.Cache);
        Assert.AreEqual(1, stats.Hits);
        Assert.AreEqual(6, stats.MissesAbsent);
        Assert.AreEqual(1, stats.MissesStale);
        Assert.AreEqual(0, stats.MissesBypassed);
        Assert.AreEqual(7, stats.Misses);
        Assert.AreEqual(0.125, stats.HitRatio, 1e-9);
        Assert.AreEqual(2, stats.ComputationsStored);
        Assert.AreEqual(1, stats.ComputationsDiscarded);
        Assert.AreEqual(1, stats.ComputationsFailed);
        Assert.AreEqual(1, stats.ComputationsCancelled);
        Assert.AreEqual(1, stats.Joins);
        Assert.AreEqual(3, stats.Invalidations);
        Assert.AreEqual(0, stats.Faults);
        Assert.AreEqual(1, stats.Entries, "the joined value; the stale entry was freed when read, the discarded one never stored");
        var other = observed.Provider.GetCurrentStatistics("other")!;
        Assert.AreEqual(1, other.MissesAbsent);
        Assert.AreEqual(0, other.HitRatio);
    }

    private static async Task JoinOnce(ITagCache cache)
    {
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrSetAsync("joined", async _ =>
        {
            started.SetResult();
            return await release.Task;
        }).AsTask();
        await started.Task;
        var second = cache.GetOrSetAsync("joined", _ => ValueTask.FromResult(2)).AsTask();
        release.SetResult(1);
        await Task.WhenAll(first, second);
    }
}
