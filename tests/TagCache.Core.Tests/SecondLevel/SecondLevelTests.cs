using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.Core.Tests.SecondLevel;

/// <summary>
/// The second level through the manual API, over an <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>
/// that can fail: values come back after memory lost them, are refused once invalidated, and every failure of the store
/// leaves the call to memory and the source.
/// </summary>
[TestClass]
public sealed class SecondLevelTests
{
    private readonly ControlledDistributedCache _store = new();
    private readonly LogCapture _logs = new();
    private int _computations;

    [TestCleanup]
    public void Cleanup() => _logs.Dispose();

    [TestMethod]
    public void GetOrSet_MemoryLostTheValue_SecondLevelAnswersWithoutComputing()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        cache.GetOrSet("product:1", Compute("tea"), Tagged("Product_1"));

        Forget(caches);
        var value = cache.GetOrSet("product:1", Compute("other"), Tagged("Product_1"));

        Assert.AreEqual("tea", value);
        Assert.AreEqual(1, _computations);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.SecondLevelHits);
        Assert.IsTrue(cache.TryGet<string>("product:1", out _), "the second level's value fills memory again");
    }

    [TestMethod]
    public async Task GetOrSetAsync_MemoryLostTheValue_SecondLevelAnswersWithoutComputing()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        await cache.GetOrSetAsync("product:1", ComputeAsync("tea"), Tagged("Product_1"));

        Forget(caches);
        var value = await cache.GetOrSetAsync("product:1", ComputeAsync("other"), Tagged("Product_1"));

        Assert.AreEqual("tea", value);
        Assert.AreEqual(1, _computations);
    }

    [TestMethod]
    public void GetOrSet_TagInvalidatedAfterTheWrite_SecondLevelValueRefused()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        cache.GetOrSet("product:1", Compute("tea"), Tagged("Product_1", "Catalog"));
        cache.InvalidateTags("Catalog");

        Forget(caches);
        var value = cache.GetOrSet("product:1", Compute("green tea"), Tagged("Product_1", "Catalog"));

        Assert.AreEqual("green tea", value);
        Assert.AreEqual(2, _computations);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.SecondLevelRejections);
    }

    [TestMethod]
    public void GetOrSet_TagsLearnedDuringTheComputation_TravelWithTheValue()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        var pages = 0;
        string Page()
        {
            CacheTags.Append("Appended");
            _ = cache.GetOrSet("inner", Compute("inner"), Tagged("Nested"));
            return "page" + Interlocked.Increment(ref pages);
        }

        cache.GetOrSet("page", Page);
        cache.InvalidateTags("Nested");
        Forget(caches);
        Assert.AreEqual("page2", cache.GetOrSet("page", Page), "a nested call's tag makes the outer value stale");

        cache.InvalidateTags("Appended");
        Forget(caches);
        Assert.AreEqual("page3", cache.GetOrSet("page", Page), "an appended tag makes it stale");

        Forget(caches);
        Assert.AreEqual("page3", cache.GetOrSet("page", Page), "while nothing moves, the shared copy answers");
        Assert.AreEqual(3, caches.GetCurrentStatistics()!.SecondLevelRejections, "the page twice, and the nested value once (after its own tag moved)");
    }

    [TestMethod]
    public void GetOrSet_AnotherProcessWithVersionsInMemory_RefusesTheValue()
    {
        using var writer = Create();
        using var reader = Create();
        writer.GetCache("default").GetOrSet("product:1", Compute("tea"), Tagged("Product_1"));

        var value = reader.GetCache("default").GetOrSet("product:1", Compute("computed here"), Tagged("Product_1"));

        Assert.AreEqual("computed here", value, "without shared versions no other process can judge the value");
        Assert.AreEqual(1, reader.GetCurrentStatistics()!.SecondLevelRejections);
    }

    [TestMethod]
    public void GetOrSet_ValueWithoutTags_AcceptedByAnyProcess()
    {
        using var writer = Create();
        using var reader = Create();
        writer.GetCache("default").GetOrSet("settings", Compute("v1"));

        Assert.AreEqual("v1", reader.GetCache("default").GetOrSet("settings", Compute("v2")), "no invalidation can make it stale");
    }

    [TestMethod]
    public void GetOrSet_StoreDown_ComputesAndLogsTheOutageOnce()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        _store.Mode = DistributedCacheMode.Down;

        for (var i = 0; i < 5; i++)
        {
            Assert.AreEqual($"v{i}", cache.GetOrSet($"k{i}", Compute($"v{i}"), Tagged("T")));
        }

        _store.Mode = DistributedCacheMode.Healthy;
        cache.GetOrSet("k9", Compute("v9"), Tagged("T"));

        Assert.AreEqual(10, caches.GetCurrentStatistics()!.SecondLevelFaults, "a read and a write per call");
        Assert.AreEqual(1, _logs.Records.Count(r => r.Id.Id == 17), "logged once per outage");
        Assert.AreEqual(1, _logs.Records.Count(r => r.Id.Id == 18), "and once when it answers again");
        Assert.AreEqual(LogLevel.Error, _logs.Records.Single(r => r.Id.Id == 17).Level);
    }

    [TestMethod]
    public async Task GetOrSetAsync_StoreHangs_TimesOutAndComputes()
    {
        using var caches = Create(l2 =>
        {
            l2.ReadTimeout = TimeSpan.FromMilliseconds(50);
            l2.WriteTimeout = TimeSpan.FromMilliseconds(50);
        });
        var cache = caches.GetCache("default");
        _store.Mode = DistributedCacheMode.Slow;

        var call = cache.GetOrSetAsync("k", ComputeAsync("v"), Tagged("T")).AsTask();
        var sync = Task.Run(() => cache.GetOrSet("k2", Compute("v2"), Tagged("T")));

        Assert.IsTrue(Task.WaitAll([call, sync], TimeSpan.FromSeconds(4)), "the calls end at the timeouts, before the store answers");
        Assert.AreEqual("v", await call);
        Assert.AreEqual("v2", await sync);
        Assert.AreEqual(4, caches.GetCurrentStatistics()!.SecondLevelFaults);
    }

    [TestMethod]
    public void GetOrSet_GarbageBytes_IgnoredRecomputedAndLoggedOnce()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        _store.Mode = DistributedCacheMode.Garbage;

        Assert.AreEqual("a", cache.GetOrSet("a", Compute("a"), Tagged("T")));
        Assert.AreEqual("b", cache.GetOrSet("b", Compute("b"), Tagged("T")));

        Assert.AreEqual(2, caches.GetCurrentStatistics()!.SecondLevelFaults);
        Assert.AreEqual(1, _logs.Records.Count(r => r.Id.Id == 19));
    }

    [TestMethod]
    public void GetOrSet_EveryTruncationOfAValue_IgnoredNeverThrown()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        cache.GetOrSet("k", Compute("a value with some length"), Tagged("Tag_1", "Tag_2"));
        var (key, payload) = _store.Values.Single();

        for (var length = 0; length < payload.Length; length++)
        {
            _store.Put(key, payload[..length]);
            Forget(caches);
            Assert.AreEqual("fresh", cache.GetOrSet("k", Compute("fresh"), Tagged("Tag_1", "Tag_2")), $"truncated to {length} bytes");
        }

        Assert.AreEqual(payload.Length, caches.GetCurrentStatistics()!.SecondLevelFaults);
    }

    [TestMethod]
    public void GetOrSet_ValueOfAnotherType_RefusedAndRecomputed()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        cache.GetOrSet("k", Compute("text"), Tagged("T"));
        Forget(caches);

        var number = cache.GetOrSet("k", () => 42, Tagged("T"));

        Assert.AreEqual(42, number);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.SecondLevelRejections);
    }

    [TestMethod]
    public void GetOrSet_ValueLargerThanTheLimit_ServedNotWrittenCounted()
    {
        using var caches = Create(l2 => l2.MaximumValueBytes = 200);
        var cache = caches.GetCache("default");

        var value = cache.GetOrSet("k", Compute(new string('x', 1000)), Tagged("T"));

        Assert.AreEqual(1000, value.Length);
        Assert.AreEqual(0, _store.Writes);
        Assert.AreEqual(1, caches.GetCurrentStatistics()!.SecondLevelSkipped);
    }

    [TestMethod]
    public void GetOrSet_Compressed_SmallerAndReadBack()
    {
        using var caches = Create(l2 => l2.CompressAboveBytes = 100);
        var cache = caches.GetCache("default");
        var text = string.Concat(Enumerable.Repeat("tea and coffee ", 200));
        cache.GetOrSet("k", Compute(text), Tagged("T"));
        Forget(caches);

        Assert.AreEqual(text, cache.GetOrSet("k", Compute("recomputed"), Tagged("T")));
        Assert.IsLessThan(text.Length / 4, _store.Values.Single().Value.Length, "compressed");
    }

    [TestMethod]
    public void GetOrSet_TypeTheSerializerCannotRead_ServedFromMemoryAndLoggedOnce()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");

        cache.GetOrSet<IComparable>("a", () => 1, Tagged("T"));
        cache.GetOrSet<IComparable>("b", () => 2, Tagged("T"));

        Assert.AreEqual(0, _store.Writes);
        Assert.AreEqual(2, caches.GetCurrentStatistics()!.SecondLevelSkipped);
        var logged = _logs.Records.Single(r => r.Id.Id == 20);
        StringAssert.Contains(logged.Message, "System.IComparable");
    }

    [TestMethod]
    public void GetOrSet_TurnedOffForTheCallOrTheCache_NeverTouchesTheStore()
    {
        using var caches = Create(configure: o => o.AddCache("local", c => c.SecondLevel = false));
        caches.GetCache("default").GetOrSet("k", Compute("v"), new TagCacheEntryOptions { Tags = ["T"], SecondLevel = false });
        caches.GetCache("local").GetOrSet("k", Compute("v"), Tagged("T"));

        Assert.AreEqual(0, _store.Reads + _store.Writes);
    }

    [TestMethod]
    public void SetAndRemove_WriteAndRemoveTheSharedCopy()
    {
        using var caches = Create();
        var cache = caches.GetCache("default");
        cache.Set("k", "set", Tagged("T"));
        Forget(caches);
        Assert.AreEqual("set", cache.GetOrSet("k", Compute("computed"), Tagged("T")));

        cache.Remove("k");

        Assert.AreEqual("computed", cache.GetOrSet("k", Compute("computed"), Tagged("T")), "a removed key is not read back from the second level");
    }

    [TestMethod]
    public void GetOrSet_SecondLevelHit_CountedAsL2HitBytesCounted()
    {
        using var metrics = new TagCacheMetrics();
        using var caches = TagCacheFactory.Create(o => o.UseSecondLevel(_store), meterFactory: metrics.Factory);
        var cache = caches.GetCache("default");
        cache.GetOrSet("k", Compute("v"), Tagged("T"));
        Forget(caches);

        cache.GetOrSet("k", Compute("v"), Tagged("T"));

        Assert.AreEqual(1, metrics.Sum("tagcache.requests", ("tagcache.result", "l2_hit")));
        Assert.AreEqual(0, metrics.Sum("tagcache.requests", ("tagcache.result", "hit")));
        Assert.AreEqual(_store.Values.Single().Value.Length, metrics.Sum("tagcache.l2.bytes_written"));
    }

    [TestMethod]
    public void SecondLevel_KeysInTheStore_HoldNoArgumentValues()
    {
        using var caches = Create();
        caches.GetCache("default").GetOrSet("customer:alice@example.com", Compute("v"), Tagged("T"));

        var key = _store.Values.Single().Key;

        Assert.IsFalse(key.Contains("alice", StringComparison.Ordinal), key);
        StringAssert.StartsWith(key, "tagcache:");
    }

    private static TagCacheEntryOptions Tagged(params string[] tags) => new() { Tags = tags };

    private static void Forget(TagCacheProvider caches) => caches.GetStore("default").Memory.Compact(1.0);

    private TagCacheProvider Create(Action<TagCacheSecondLevelOptions>? secondLevel = null, Action<TagCacheOptions>? configure = null) =>
        TagCacheFactory.Create(
            o =>
            {
                o.TrackStatistics = true;
                configure?.Invoke(o);
                o.UseSecondLevel(_store, secondLevel);
            },
            loggerFactory: _logs.Factory);

    private Func<T> Compute<T>(T value) => () =>
    {
        Interlocked.Increment(ref _computations);
        return value;
    };

    private Func<CancellationToken, ValueTask<T>> ComputeAsync<T>(T value) => _ =>
    {
        Interlocked.Increment(ref _computations);
        return ValueTask.FromResult(value);
    };
}
