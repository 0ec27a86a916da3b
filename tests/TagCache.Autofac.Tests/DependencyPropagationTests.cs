using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class DependencyPropagationTests
{
    private const int Category = 10;

    [TestMethod]
    public void Render_InnerCallMissed_InvalidatingIncludedProductRerendersPage()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        var before = pages.Render(Category);

        Rename(sut, 5, "Yerba mate");
        var after = pages.Render(Category);

        Assert.AreEqual("Tea, Coffee, Mate", before);
        Assert.AreEqual("Tea, Coffee, Yerba mate", after);
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.Render)]);
    }

    [TestMethod]
    public void Render_InnerCallHit_InvalidatingIncludedProductRerendersPage()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        sut.Products.GetProduct(5);

        var before = pages.Render(Category);
        var productLoadsAfterFirstRender = sut.Calls[nameof(IProductService.GetProduct)];
        Rename(sut, 5, "Yerba mate");
        var after = pages.Render(Category);

        Assert.AreEqual("Tea, Coffee, Mate", before);
        Assert.AreEqual("Tea, Coffee, Yerba mate", after);
        Assert.AreEqual(3, productLoadsAfterFirstRender, "product 5 was a hit inside the page; 1 and 2 were misses");
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.Render)]);
    }

    [TestMethod]
    public void Render_ProductOfAnotherCategoryInvalidated_PageStaysCached()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        pages.Render(Category);

        Rename(sut, 3, "Cheesecake");
        var again = pages.Render(Category);

        Assert.AreEqual("Tea, Coffee, Mate", again);
        Assert.AreEqual(1, sut.Calls[nameof(ICategoryPages.Render)]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "inner call missed")]
    [DataRow(true, DisplayName = "inner call hit")]
    public async Task RenderAsync_TaskOfT_InvalidatingIncludedProductRerendersPage(bool warmInner)
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        if (warmInner)
        {
            await sut.AsyncProducts.GetProductAsync(5);
        }

        var before = await pages.RenderAsync(Category);
        var cached = await pages.RenderAsync(Category);
        Rename(sut, 5, "Yerba mate");
        var after = await pages.RenderAsync(Category);

        Assert.AreEqual("Tea, Coffee, Mate", before);
        Assert.AreEqual(before, cached);
        Assert.AreEqual("Tea, Coffee, Yerba mate", after);
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.RenderAsync)]);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "inner call missed")]
    [DataRow(true, DisplayName = "inner call hit")]
    public async Task RenderValueAsync_ValueTaskOfT_InvalidatingIncludedProductRerendersPage(bool warmInner)
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        if (warmInner)
        {
            await sut.AsyncProducts.GetProductValueAsync(5);
        }

        var before = await pages.RenderValueAsync(Category);
        var cached = await pages.RenderValueAsync(Category);
        Rename(sut, 5, "Yerba mate");
        var after = await pages.RenderValueAsync(Category);

        Assert.AreEqual("Tea, Coffee, Mate", before);
        Assert.AreEqual(before, cached);
        Assert.AreEqual("Tea, Coffee, Yerba mate", after);
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.RenderValueAsync)]);
    }

    [TestMethod]
    public async Task RenderHomeAsync_ThroughTwoCachedServices_InvalidatingIncludedProductRerendersBoth()
    {
        using var sut = CreateSut();
        var home = sut.Resolve<IStorefront>();
        var before = await home.RenderHomeAsync(Category);
        var cached = await home.RenderHomeAsync(Category);

        Rename(sut, 5, "Yerba mate");
        var after = await home.RenderHomeAsync(Category);

        Assert.AreEqual("Home: Tea, Coffee, Mate", before);
        Assert.AreEqual(before, cached);
        Assert.AreEqual("Home: Tea, Coffee, Yerba mate", after);
        Assert.AreEqual(2, sut.Calls[nameof(IStorefront.RenderHomeAsync)]);
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.RenderAsync)]);
    }

    [TestMethod]
    public void RenderInCatalogCache_InnerCallInDefaultCache_InvalidationCrossesCaches()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        var before = pages.RenderInCatalogCache(Category);

        Rename(sut, 5, "Yerba mate");
        var after = pages.RenderInCatalogCache(Category);

        Assert.AreEqual("Tea, Coffee, Mate", before);
        Assert.AreEqual("Tea, Coffee, Yerba mate", after);
    }

    [TestMethod]
    public void RenderFeatured_CacheTagsAppendInsideInterfaceMethod_TagIsHonoured()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        var before = pages.RenderFeatured(5);
        var cached = pages.RenderFeatured(5);

        Rename(sut, 5, "Yerba mate");
        var after = pages.RenderFeatured(5);

        Assert.AreEqual("Featured: Mate", before);
        Assert.AreEqual(before, cached);
        Assert.AreEqual("Featured: Yerba mate", after);
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.RenderFeatured)]);
    }

    [TestMethod]
    public void RenderFeatured_UnrelatedProductInvalidated_StaysCached()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        pages.RenderFeatured(5);

        Rename(sut, 1, "Green tea");
        pages.RenderFeatured(5);

        Assert.AreEqual(1, sut.Calls[nameof(ICategoryPages.RenderFeatured)]);
    }

    private static CatalogContainer CreateSut()
    {
        var sut = new CatalogContainer(builder =>
        {
            builder.RegisterType<CategoryPages>().As<ICategoryPages>().SingleInstance().EnableTagCaching();
            builder.RegisterType<Storefront>().As<IStorefront>().SingleInstance().EnableTagCaching();
        });
        sut.Database.Put(new Product(5, "Mate", Category));
        return sut;
    }

    /// <summary>Changes the data and invalidates through the intercepted [InvalidateTags] method, as an application would.</summary>
    private static void Rename(CatalogContainer sut, int id, string name) =>
        sut.Products.Save(sut.Database.Get(id) with { Name = name });
}
