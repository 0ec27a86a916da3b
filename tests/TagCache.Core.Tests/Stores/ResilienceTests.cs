using Microsoft.Extensions.Time.Testing;
using TagCache.Core.Tests.Support;

namespace TagCache.Core.Tests.Stores;

/// <summary>Fail-safe, timeouts, eager refresh and jitter through the manual API (<see cref="ITagCache"/>), on fake time.</summary>
[TestClass]
public sealed class ResilienceTests
{
    private static readonly TimeSpan PastTimeout = TimeSpan.FromSeconds(61);

    private readonly FakeTimeProvider _time = new();

    private static InvalidOperationException Down => new("The database is down.");

    [TestMethod]
    public void GetOrSet_EntryFailSafe_FactoryFailsAfterExpiry_ReturnsLastGoodValue()
    {
        using var caches = TagCacheFactory.Create(options => options.TrackStatistics = true, _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = FailSafe();
        cache.GetOrSet("quote", () => 1, options);
        _time.Advance(PastTimeout);

        var value = cache.GetOrSet<int>("quote", () => throw Down, options);

        Assert.AreEqual(1, value);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.FallbacksFailed);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.MissesAbsent, "the first call's miss; the fallback is not also a miss");
    }

    [TestMethod]
    public async Task GetOrSetAsync_EntryFailSafe_FactoryFailsAfterExpiry_ReturnsLastGoodValue()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = FailSafe();
        await cache.GetOrSetAsync("quote", _ => ValueTask.FromResult(1), options);
        _time.Advance(PastTimeout);

        var value = await cache.GetOrSetAsync<int>("quote", _ => throw Down, options);

        Assert.AreEqual(1, value);
    }

    [TestMethod]
    public void GetOrSet_CacheFailSafe_AppliesToCallsThatSayNothing()
    {
        using var caches = TagCacheFactory.Create(
            options =>
            {
                options.DefaultTimeout = TimeSpan.FromMinutes(1);
                options.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
            },
            _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.GetOrSet("quote", () => 1);
        _time.Advance(PastTimeout);

        Assert.AreEqual(1, cache.GetOrSet<int>("quote", () => throw Down));
    }

    [TestMethod]
    public void GetOrSet_EntryTurnsCacheFailSafeOff_Throws()
    {
        using var caches = TagCacheFactory.Create(
            options =>
            {
                options.DefaultTimeout = TimeSpan.FromMinutes(1);
                options.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
            },
            _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var off = new TagCacheEntryOptions();
        off.Resilience.FailSafeMaxDuration = TimeSpan.Zero;
        cache.GetOrSet("quote", () => 1, off);
        _time.Advance(PastTimeout);

        Assert.ThrowsExactly<InvalidOperationException>(() => cache.GetOrSet<int>("quote", () => throw Down, off));
    }

    [TestMethod]
    public void TryGet_ThrottledFallback_ReturnsItCountedAsFallback()
    {
        using var caches = TagCacheFactory.Create(options => options.TrackStatistics = true, _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = FailSafe();
        cache.GetOrSet("quote", () => 1, options);
        _time.Advance(PastTimeout);
        cache.GetOrSet<int>("quote", () => throw Down, options);

        Assert.IsTrue(cache.TryGet("quote", out int value));

        Assert.AreEqual(1, value);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.FallbacksThrottled);
    }

    [TestMethod]
    public void Set_WithFailSafe_KeepsValueAsFallback()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = FailSafe();
        cache.Set("quote", 5, options);
        _time.Advance(PastTimeout);

        Assert.IsFalse(cache.TryGet("quote", out int _), "expired");
        Assert.AreEqual(5, cache.GetOrSet<int>("quote", () => throw Down, options));
    }

    [TestMethod]
    public void Remove_FailSafeEntry_LeavesNoFallback()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = FailSafe();
        cache.GetOrSet("quote", () => 1, options);

        cache.Remove("quote");

        Assert.ThrowsExactly<InvalidOperationException>(() => cache.GetOrSet<int>("quote", () => throw Down, options));
    }

    [TestMethod]
    public void GetOrSet_InvalidatedEntry_IsNoFallbackUnlessOptedIn()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var strict = FailSafe("Quote_7");
        var lenient = FailSafe("Quote_8");
        lenient.Resilience.FallbackAfterInvalidation = true;
        cache.GetOrSet("strict", () => 1, strict);
        cache.GetOrSet("lenient", () => 2, lenient);

        cache.InvalidateTags("Quote_7", "Quote_8");

        Assert.ThrowsExactly<InvalidOperationException>(() => cache.GetOrSet<int>("strict", () => throw Down, strict));
        Assert.AreEqual(2, cache.GetOrSet<int>("lenient", () => throw Down, lenient));
    }

    [TestMethod]
    public void GetOrSet_InvalidatedEntryOptedIn_SurvivesTheReclaimPass()
    {
        var store = StoreFactory.Create(_time);
        var lenient = FailSafe("Quote_8");
        lenient.Resilience.FallbackAfterInvalidation = true;
        store.GetOrSet("lenient", () => 2, lenient);
        store.GetOrSet("expired", () => 3, FailSafe());
        store.InvalidateTags("Quote_8");
        _time.Advance(PastTimeout);

        var reclaimed = store.ReclaimNow();

        Assert.AreEqual(0, reclaimed, "an opted-in invalidated entry and an expired one are both still fallbacks");
        Assert.AreEqual(2, store.GetOrSet<int>("lenient", () => throw Down, lenient));
        Assert.AreEqual(3, store.GetOrSet<int>("expired", () => throw Down, FailSafe()));
    }

    [TestMethod]
    public void GetOrSet_InvalidatedEntryNotOptedIn_IsReclaimed()
    {
        var store = StoreFactory.Create(_time);
        store.GetOrSet("strict", () => 1, FailSafe("Quote_7"));
        store.InvalidateTags("Quote_7");

        Assert.AreEqual(1, store.ReclaimNow());
    }

    [TestMethod]
    public void GetOrSet_VersionsLagging_NoFallbackOfTaggedEntryUnlessOptedIn()
    {
        var versions = new GatedVersions(_time);
        versions.Open();
        using var store = StoreFactory.Create(_time, versions: versions);
        var strict = FailSafe("Quote_7");
        var lenient = FailSafe("Quote_8");
        lenient.Resilience.FallbackAfterInvalidation = true;
        store.GetOrSet("strict", () => 1, strict);
        store.GetOrSet("lenient", () => 2, lenient);
        _time.Advance(PastTimeout);

        versions.Gate.Close();

        Assert.ThrowsExactly<InvalidOperationException>(() => store.GetOrSet<int>("strict", () => throw Down, strict), "it may have been invalidated on another node");
        Assert.AreEqual(2, store.GetOrSet<int>("lenient", () => throw Down, lenient), "opted in: the bound is FailSafeMaxDuration");
    }

    [TestMethod]
    public async Task GetOrSetAsync_SoftTimeout_AnswersWithFallbackExactlyAtTimeout()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = Patient();
        await cache.GetOrSetAsync("quote", _ => ValueTask.FromResult(1), options);
        _time.Advance(PastTimeout);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = cache.GetOrSetAsync("quote", _ => new ValueTask<int>(slow.Task), options).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(99));
        var before = call.IsCompleted;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.IsFalse(before);
        Assert.AreEqual(1, await call.WaitAsync(TimeSpan.FromSeconds(30)));
        slow.SetResult(2);
        await FakeTimeWaits.Until(() => cache.TryGet("quote", out int stored) && stored == 2);
    }

    [TestMethod]
    public async Task GetOrSetAsync_HardTimeoutWithoutFallback_ThrowsTimeoutNamingTheDirectCall()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions();
        options.Resilience.HardTimeout = TimeSpan.FromSeconds(2);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = cache.GetOrSetAsync("quote", _ => new ValueTask<int>(slow.Task), options).AsTask();
        _time.Advance(TimeSpan.FromSeconds(2));

        var thrown = await Assert.ThrowsExactlyAsync<TimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        StringAssert.Contains(thrown.Message, "a direct call in cache 'default' did not complete within its hard timeout of 2 s");
        slow.SetResult(7);
        await FakeTimeWaits.Until(() => cache.TryGet("quote", out int stored) && stored == 7);
    }

    [TestMethod]
    public async Task GetOrSetAsync_SoftTimeoutWithoutFallback_WaitsForTheValue()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = cache.GetOrSetAsync("quote", _ => new ValueTask<int>(slow.Task), Patient()).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var waiting = !call.IsCompleted;
        slow.SetResult(3);

        Assert.IsTrue(waiting, "past the soft timeout, before the hard one, with nothing to answer");
        Assert.AreEqual(3, await call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [TestMethod]
    public async Task GetOrSetAsync_HedgeAfterSoftTimeout_SecondComputationStartsExactlyThenAndWins()
    {
        using var caches = TagCacheFactory.Create(o => o.TrackStatistics = true, _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.Hedge = true;
        options.Resilience.SoftTimeout = TimeSpan.FromMilliseconds(100);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        ValueTask<int> Factory(CancellationToken token) =>
            Interlocked.Increment(ref calls) == 1 ? new ValueTask<int>(slow.Task) : ValueTask.FromResult(2);

        var call = cache.GetOrSetAsync("quote", Factory, options).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(99));
        var before = calls;
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.AreEqual(1, before);
        Assert.AreEqual(2, await call.WaitAsync(TimeSpan.FromSeconds(30)));
        slow.SetResult(1);
        await Task.Delay(50);
        Assert.IsTrue(cache.TryGet("quote", out int stored));
        Assert.AreEqual(2, stored, "the slow computation's late value is not stored over the hedge's");
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.Hedges);
    }

    [TestMethod]
    public void GetOrSet_HedgeWithoutSoftTimeout_ThrowsArgumentException()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var options = new TagCacheEntryOptions();
        options.Resilience.Hedge = true;

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => caches.GetCache(TagCacheOptions.DefaultCacheName).GetOrSet("quote", () => 1, options));

        StringAssert.Contains(thrown.Message, "Hedge is set without a SoftTimeout");
    }

    [TestMethod]
    public async Task GetOrSetAsync_EagerRefresh_RefreshesWithTheCallsFactory()
    {
        using var caches = TagCacheFactory.Create(options => options.TrackStatistics = true, _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.EagerRefreshThreshold = 0.5;
        var next = 0;
        ValueTask<int> Factory(CancellationToken token) => ValueTask.FromResult(Interlocked.Increment(ref next));
        await cache.GetOrSetAsync("quote", Factory, options);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.AreEqual(1, await cache.GetOrSetAsync("quote", Factory, options), "the current value, at once");
        await FakeTimeWaits.Until(() => cache.TryGet("quote", out int stored) && stored == 2);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.Refreshes);
    }

    [TestMethod]
    public void GetOrSet_EagerRefreshSync_RefreshesOnTheThreadPool()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.EagerRefreshThreshold = 0.5;
        var caller = Environment.CurrentManagedThreadId;
        var refreshedOn = 0;
        cache.GetOrSet("quote", () => 1, options);
        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.AreEqual(1, cache.GetOrSet("quote", () => { refreshedOn = Environment.CurrentManagedThreadId; return 2; }, options));

        FakeTimeWaits.Until(() => cache.TryGet("quote", out int stored) && stored == 2).GetAwaiter().GetResult();
        Assert.AreNotEqual(caller, refreshedOn);
    }

    [TestMethod]
    public void Set_Jitter_EntriesStoredTogetherExpireApart()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.JitterMaxDuration = TimeSpan.FromMinutes(1);
        for (var i = 0; i < 200; i++)
        {
            cache.Set($"quote:{i}", i, options);
        }

        int Present() => Enumerable.Range(0, 200).Count(i => cache.TryGet($"quote:{i}", out int _));
        _time.Advance(TimeSpan.FromSeconds(59));
        var beforeTimeout = Present();
        _time.Advance(TimeSpan.FromSeconds(31));
        var halfway = Present();
        _time.Advance(TimeSpan.FromSeconds(31));
        var afterJitter = Present();

        Assert.AreEqual(200, beforeTimeout, "jitter only adds time");
        Assert.IsTrue(halfway is > 0 and < 200, $"{halfway} of 200 left halfway through the jitter: they do not expire together");
        Assert.AreEqual(0, afterJitter, "none outlives timeout + jitter");
    }

    [TestMethod]
    public void GetOrSet_EntrySettingsContradictEachOther_ThrowsArgumentException()
    {
        using var caches = TagCacheFactory.Create(timeProvider: _time);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(10) };
        options.Resilience.FailSafeMaxDuration = TimeSpan.FromMinutes(5);

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => caches.GetCache(TagCacheOptions.DefaultCacheName).GetOrSet("quote", () => 1, options));

        StringAssert.Contains(thrown.Message, "FailSafeMaxDuration (300 s) is not longer than the entry's timeout (600 s)");
    }

    [TestMethod]
    public async Task Dispose_RefreshRunning_CancelsItsToken()
    {
        var caches = TagCacheFactory.Create(timeProvider: _time);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.EagerRefreshThreshold = 0.5;
        await cache.GetOrSetAsync("quote", _ => ValueTask.FromResult(1), options);
        _time.Advance(TimeSpan.FromSeconds(31));
        var started = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
        await cache.GetOrSetAsync(
            "quote",
            async token =>
            {
                started.SetResult(token);
                await Task.Delay(Timeout.Infinite, token);
                return 2;
            },
            options);
        var refresh = await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        caches.Dispose();

        Assert.IsTrue(refresh.IsCancellationRequested);
    }

    private static TagCacheEntryOptions FailSafe(params string[] tags)
    {
        var options = new TagCacheEntryOptions { Tags = tags, Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
        return options;
    }

    private static TagCacheEntryOptions Patient()
    {
        var options = FailSafe();
        options.Resilience.SoftTimeout = TimeSpan.FromMilliseconds(100);
        options.Resilience.HardTimeout = TimeSpan.FromSeconds(1);
        return options;
    }
}

internal static class FakeTimeWaits
{
    /// <summary>Waits (for real) until <paramref name="condition"/> holds, failing after 30 seconds.</summary>
    public static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not hold within 30 s.");
            }

            await Task.Delay(2);
        }
    }
}
