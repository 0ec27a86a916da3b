using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class NamedCacheAndTimeoutTests
{
    [TestMethod]
    public void GetFromCatalogCache_NamedCache_StoresInThatCacheOnly()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetFromCatalogCache(1);

        sut.Caches.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Product_1");
        sut.Products.GetFromCatalogCache(1);
        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetFromCatalogCache)], "the default cache's tags do not reach the entry");

        sut.Caches.GetCache("catalog").InvalidateTags("Product_1");
        sut.Products.GetFromCatalogCache(1);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetFromCatalogCache)], "the entry lives in the catalog cache");
    }

    [TestMethod]
    public void InvalidateTags_OnDefaultCache_LeavesNamedCacheEntry()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetFromCatalogCache(1);

        sut.Products.Save(sut.Database.Get(1));
        sut.Products.GetFromCatalogCache(1);

        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetFromCatalogCache)]);
    }

    [TestMethod]
    public void InvalidateTags_OnNamedCache_RecomputesNamedCacheEntry()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetFromCatalogCache(1);

        sut.Caches.GetCache("catalog").InvalidateTags("Product_1");
        sut.Products.GetFromCatalogCache(1);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetFromCatalogCache)]);
    }

    [TestMethod]
    [DataRow(59, 1)]
    [DataRow(61, 2)]
    public void GetShortLived_Timeout60Seconds_ExpiresAfterTimeout(int elapsedSeconds, int expectedCalls)
    {
        using var sut = new CatalogContainer();
        sut.Products.GetShortLived(1);

        sut.Time.Advance(TimeSpan.FromSeconds(elapsedSeconds));
        sut.Products.GetShortLived(1);

        Assert.AreEqual(expectedCalls, sut.Calls[nameof(IProductService.GetShortLived)]);
    }

    [TestMethod]
    [DataRow(59, 1)]
    [DataRow(61, 2)]
    public void GetProduct_NoTimeout_UsesCacheDefaultTimeout(int elapsedMinutes, int expectedCalls)
    {
        using var sut = new CatalogContainer(builder => builder.AddTagCache(options => options.DefaultTimeout = TimeSpan.FromHours(1)));
        sut.Products.GetProduct(1);

        sut.Time.Advance(TimeSpan.FromMinutes(elapsedMinutes));
        sut.Products.GetProduct(1);

        Assert.AreEqual(expectedCalls, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    [DataRow(59, 1)]
    [DataRow(61, 2)]
    public async Task GetFromCatalogShortLivedAsync_Timeout60Seconds_ExpiresAfterTimeout(int elapsedSeconds, int expectedCalls)
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetFromCatalogShortLivedAsync(1);

        sut.Time.Advance(TimeSpan.FromSeconds(elapsedSeconds));
        await sut.AsyncProducts.GetFromCatalogShortLivedAsync(1);

        Assert.AreEqual(expectedCalls, sut.Calls[nameof(IAsyncProductService.GetFromCatalogShortLivedAsync)]);
    }
}
