using System.Diagnostics;
using Autofac;
using TagCache.Interception;
using TagCache.Reliability.Tests.Concurrency;
using TagCache.Stores;
using TagCache.Tags;

namespace TagCache.Reliability.Tests.Memory;

[TestClass]
[DoNotParallelize]
public sealed class MemoryTests
{
    private const int MeasuredEntries = 100_000;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Set_MoreEntriesThanSizeLimit_KeepsAtMostSizeLimit()
    {
        using var provider = (TagCacheProvider)TagCacheFactory.Create(options => options.SizeLimit = 1_000);
        var store = provider.GetStore(TagCacheOptions.DefaultCacheName);

        for (var i = 0; i < 10_000; i++)
        {
            store.Set("key" + i, i, new TagCacheEntryOptions { Tags = ["Tag_" + (i % 10)] });
        }

        Report($"SizeLimit 1,000, 10,000 entries set: {store.Memory.Count:N0} kept");
        Assert.IsLessThanOrEqualTo(1_000, store.Memory.Count);
        Assert.IsGreaterThan(0, store.Memory.Count);
    }

    [TestMethod]
    public void Intercepted_MoreKeysThanSizeLimit_KeepsAtMostSizeLimitAndStillAnswers()
    {
        var target = new ColdService();
        var builder = new ContainerBuilder();
        builder.AddTagCache(options => options.SizeLimit = 500);
        builder.RegisterInstance(target).As<IColdService>().EnableTagCaching();
        using var container = builder.Build();
        var service = container.Resolve<IColdService>();

        var wrong = 0;
        for (var id = 1; id <= 5_000; id++)
        {
            if (id % 10 != 0 && service.GetNumber(id) != id)
            {
                wrong++;
            }
        }

        var store = (TagCacheStore)container.Resolve<ITagCache>();
        Report($"SizeLimit 500 through AddTagCache, 4,500 keys: {store.Memory.Count:N0} kept");
        Assert.AreEqual(0, wrong);
        Assert.IsLessThanOrEqualTo(500, store.Memory.Count);
    }

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void Set_TenMillionDistinctTagsChurn_RetainsOnlyTagStatesOfLiveEntries()
    {
        const int Tags = 10_000_000;
        const int LiveKeys = 1_000;
        using var provider = (TagCacheProvider)TagCacheFactory.Create();
        var store = provider.GetStore(TagCacheOptions.DefaultCacheName);
        var versions = (InMemoryTagVersionStore)store.Versions;
        string[] keys = [.. Enumerable.Range(0, LiveKeys).Select(i => "page" + i)];
        var tags = new string[1];
        var options = new TagCacheEntryOptions { Tags = tags };
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var peakMapped = 0;
        var stopwatch = Stopwatch.StartNew();

        // Each key is overwritten again and again, each time with a tag never seen before: Product_0 ... Product_9999999.
        for (var i = 0; i < Tags; i++)
        {
            tags[0] = "Product_" + i;
            store.Set(keys[i % LiveKeys], i, options);
            if (i % 100_000 == 0)
            {
                peakMapped = Math.Max(peakMapped, versions.MappedCount);
            }
        }

        stopwatch.Stop();
        var after = GC.GetTotalMemory(forceFullCollection: true);
        var live = versions.CountLiveStates();
        Report($"10,000,000 distinct tags over {LiveKeys:N0} live entries in {stopwatch.Elapsed.TotalSeconds:F1} s: live tag states after full GC {live:N0}, " +
            $"names mapped {versions.MappedCount:N0} (peak sampled {peakMapped:N0}), heap growth {(after - before) / 1024.0 / 1024.0:F1} MB");
        Assert.AreEqual(LiveKeys, store.Memory.Count);
        Assert.AreEqual(LiveKeys, live, "after a full GC only the tags of live entries keep a state");
        Assert.IsLessThan(2_000_000, peakMapped, "the name map is purged as tags churn");
        Assert.IsLessThan(64L * 1024 * 1024, after - before, "bookkeeping must not grow with the number of tags ever seen");
        GC.KeepAlive(keys);
    }

    [TestMethod]
    [TestCategory("Stress")]
    public void Set_HundredThousandEntries_ReportsBytesPerEntryAndPerTag()
    {
        string[] keys = [.. Enumerable.Range(0, MeasuredEntries).Select(i => "entry:" + i)];
        string[] distinctTags = [.. Enumerable.Range(0, MeasuredEntries).Select(i => "Product_" + i)];
        string[] shared = ["Shared_0", "Shared_1", "Shared_2"];
        var value = new object();

        var noTags = Measure(keys, value, _ => []);
        var oneTag = Measure(keys, value, _ => [shared[0]]);
        var threeTags = Measure(keys, value, _ => shared);
        var oneDistinctTag = Measure(keys, value, i => [distinctTags[i]]);
        var perTag = oneDistinctTag - oneTag;

        Report($"bytes retained per entry ({MeasuredEntries:N0} entries; key strings, tag strings and the value excluded): " +
            $"0 tags {noTags:F0}, 1 shared tag {oneTag:F0}, 3 shared tags {threeTags:F0}, 1 distinct tag {oneDistinctTag:F0}; per distinct tag state {perTag:F0}");
        Assert.IsLessThan(1_024, noTags);
        Assert.IsLessThan(noTags + 512, oneTag);
        Assert.IsLessThan(noTags + 1_024, threeTags);
        Assert.IsLessThan(1_024, perTag);
        GC.KeepAlive(distinctTags);
    }

    private static double Measure(string[] keys, object value, Func<int, string[]> tagsOf)
    {
        using var provider = (TagCacheProvider)TagCacheFactory.Create();
        var store = provider.GetStore(TagCacheOptions.DefaultCacheName);
        store.Set("warm-up", value, new TagCacheEntryOptions { Tags = ["Warm"] });
        var before = GC.GetTotalMemory(forceFullCollection: true);
        for (var i = 0; i < keys.Length; i++)
        {
            store.Set(keys[i], value, new TagCacheEntryOptions { Tags = tagsOf(i) });
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        Assert.AreEqual(keys.Length + 1, store.Memory.Count);
        GC.KeepAlive(store);
        return (after - before) / (double)keys.Length;
    }

    private void Report(string text)
    {
        Console.WriteLine(text);
        TestContext.WriteLine(text);
    }
}
