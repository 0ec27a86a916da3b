using Microsoft.Extensions.Time.Testing;
using TagCache.Core.Tests.Support;
using TagCache.Testing;

namespace TagCache.Core.Tests.Stores;

[TestClass]
public sealed class TagCacheProviderTests
{
    [TestMethod]
    public void GetCache_Default_AlwaysExists()
    {
        var provider = TagCacheFactory.Create();

        var cache = provider.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("k", 1);

        Assert.IsTrue(cache.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetCache_UnknownName_ThrowsListingConfiguredCaches()
    {
        var provider = TagCacheFactory.Create(o => o.AddCache("my_backend"));

        var error = Assert.ThrowsExactly<KeyNotFoundException>(() => provider.GetCache("my_bakend"));

        StringAssert.Contains(error.Message, "'my_bakend'");
        StringAssert.Contains(error.Message, "default, my_backend");
        StringAssert.Contains(error.Message, "options.AddCache(\"my_bakend\")");
    }

    [TestMethod]
    public void GetCache_NamedCaches_HaveSeparateEntriesAndTagVersions()
    {
        var provider = TagCacheFactory.Create(o => o.AddCache("my_backend"));
        var main = provider.GetCache("default");
        var backend = provider.GetCache("my_backend");
        main.Set("cache_name", "main", new TagCacheEntryOptions { Tags = ["FirstModel"] });
        backend.Set("cache_name", "backend", new TagCacheEntryOptions { Tags = ["FirstModel"] });

        backend.InvalidateTags("FirstModel");

        Assert.IsTrue(main.TryGet<string>("cache_name", out var kept));
        Assert.AreEqual("main", kept);
        Assert.IsFalse(backend.TryGet<string>("cache_name", out _));
    }

    [TestMethod]
    public void GetCache_NamedCacheDefaultTimeout_OverridesGlobalDefault()
    {
        var time = new FakeTimeProvider();
        var provider = TagCacheFactory.Create(
            o =>
            {
                o.DefaultTimeout = TimeSpan.FromHours(1);
                o.AddCache("short", c => c.DefaultTimeout = TimeSpan.FromSeconds(30));
            },
            time);
        provider.GetCache("short").Set("k", 1);
        provider.GetCache("default").Set("k", 1);

        time.Advance(TimeSpan.FromSeconds(31));

        Assert.IsFalse(provider.GetCache("short").TryGet<int>("k", out _));
        Assert.IsTrue(provider.GetCache("default").TryGet<int>("k", out _));
    }
}
