using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class SyncCachingTests
{
    [TestMethod]
    public void GetProduct_CalledTwice_RunsTargetOnceAndReturnsCachedValue()
    {
        using var sut = new CatalogContainer();

        var first = sut.Products.GetProduct(1);
        sut.Database.Put(first with { Name = "Green tea" });
        var second = sut.Products.GetProduct(1);

        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetProduct)]);
        Assert.AreSame(first, second);
        Assert.AreEqual("Tea", second.Name);
    }

    [TestMethod]
    public void GetProduct_DifferentArguments_CachedSeparately()
    {
        using var sut = new CatalogContainer();

        var tea = sut.Products.GetProduct(1);
        var coffee = sut.Products.GetProduct(2);

        Assert.AreEqual("Tea", tea.Name);
        Assert.AreEqual("Coffee", coffee.Name);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void Save_AfterGetProduct_InvalidatesProductTag()
    {
        using var sut = new CatalogContainer();
        var tea = sut.Products.GetProduct(1);

        sut.Products.Save(tea with { Name = "Green tea" });
        var reloaded = sut.Products.GetProduct(1);

        Assert.AreEqual("Green tea", reloaded.Name);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void Save_ProductOfCategory_InvalidatesCategoryListing()
    {
        using var sut = new CatalogContainer();
        var before = sut.Products.ListCategory(10);
        var cake = sut.Products.ListCategory(20);

        sut.Products.Save(new Product(4, "Mate", 10));
        var after = sut.Products.ListCategory(10);
        var cakeAgain = sut.Products.ListCategory(20);

        Assert.HasCount(2, before);
        Assert.HasCount(3, after);
        Assert.AreSame(cake, cakeAgain, "another category's listing must stay cached");
        Assert.AreEqual(3, sut.Calls[nameof(IProductService.ListCategory)]);
    }

    [TestMethod]
    public void ListCategory_KeyTemplate_StoresUnderThatKey()
    {
        using var sut = new CatalogContainer();

        var listing = sut.Products.ListCategory(10);

        Assert.IsTrue(sut.Caches.GetCache(TagCacheOptions.DefaultCacheName).TryGet("category:10", out IReadOnlyList<Product> stored));
        Assert.AreSame(listing, stored);
    }

    [TestMethod]
    public void GetProductTaggedByCategory_CategoryInvalidated_RecomputesThroughResultTag()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetProductTaggedByCategory(1);
        sut.Products.GetProductTaggedByCategory(3);

        sut.Products.TouchCategory(10);
        sut.Products.GetProductTaggedByCategory(1);
        sut.Products.GetProductTaggedByCategory(3);

        // Product 1 is in category 10 (recomputed); product 3 is in category 20 (still cached).
        Assert.AreEqual(3, sut.Calls[nameof(IProductService.GetProductTaggedByCategory)]);
    }

    [TestMethod]
    public void Reprice_TwoInvalidateAttributes_InvalidatesInBothCaches()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetProduct(1);
        sut.Products.GetFromCatalogCache(1);

        sut.Products.Reprice(1);
        sut.Products.GetProduct(1);
        sut.Products.GetFromCatalogCache(1);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetFromCatalogCache)]);
    }

    [TestMethod]
    public void Refresh_CachedAndInvalidating_CachesItsResultAndInvalidatesOnEveryCall()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetProduct(1);

        var first = sut.Products.Refresh(1);
        sut.Products.GetProduct(1);
        var second = sut.Products.Refresh(1);
        sut.Products.GetProduct(1);

        Assert.AreEqual("refreshed 1", first);
        Assert.AreSame(first, second);
        Assert.AreEqual(1, sut.Calls[nameof(IProductService.Refresh)]);
        Assert.AreEqual(3, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void GetUncached_NoAttributes_AlwaysRunsTargetAndStoresNothing()
    {
        using var sut = new CatalogContainer();

        sut.Products.GetUncached(1);
        sut.Products.GetUncached(1);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetUncached)]);
    }

    [TestMethod]
    public void Resolve_EnabledService_ReturnsProxyOverSharedTarget()
    {
        using var sut = new CatalogContainer();

        var products = sut.Products;

        Assert.IsTrue(Castle.DynamicProxy.ProxyUtil.IsProxy(products));
        Assert.AreSame(sut.Target, Castle.DynamicProxy.ProxyUtil.GetUnproxiedInstance(products));
        Assert.AreSame(products, sut.Products, "a single-instance registration must hand out one proxy");
    }
}
