using TagCache.Testing;

namespace TagCache.Scenarios;

/// <summary>
/// The interception scenarios, run over every way a service is wrapped (Castle proxies through Autofac and through
/// Microsoft DI, and the generated decorators) and over TagCache's own caches and a third-party <see cref="ITagCache"/>
/// that can only be used through the public contract: all must behave the same.
/// </summary>
public abstract class InterceptionScenarios
{
    private const int Category = 10;

    /// <summary>Gets the provider the test replaced the caches with, if any.</summary>
    protected DecoratingTagCacheProvider? Decorated { get; private set; }

    [TestMethod]
    public void GetProduct_SecondCall_HitsWithoutRunningTarget()
    {
        using var sut = CreateSut();

        var first = sut.Products.GetProduct(1);
        var second = sut.Products.GetProduct(1);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetProduct)]);
        AssertUsedTheCache();
    }

    [TestMethod]
    public void Save_InvalidatesTags_NextCallRecomputes()
    {
        using var sut = CreateSut();
        sut.Products.GetProduct(1);

        sut.Products.Save(sut.Database.Get(1) with { Name = "Green tea" });

        Assert.AreEqual("Green tea", sut.Products.GetProduct(1).Name);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void GetProductTaggedByCategory_ResultTag_InvalidatedByCategory()
    {
        using var sut = CreateSut();
        sut.Products.GetProductTaggedByCategory(1);

        sut.Products.TouchCategory(Category);
        sut.Products.GetProductTaggedByCategory(1);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProductTaggedByCategory)]);
    }

    [TestMethod]
    public async Task GetProductAsync_TaskAndValueTask_HitAfterMiss()
    {
        using var sut = CreateSut();

        await sut.AsyncProducts.GetProductAsync(2);
        await sut.AsyncProducts.GetProductAsync(2);
        await sut.AsyncProducts.GetProductValueAsync(2);
        await sut.AsyncProducts.GetProductValueAsync(2);

        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductAsync)]);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductValueAsync)]);
    }

    [TestMethod]
    public void Render_NestedCachedCalls_InvalidatingInnerTagRecomputesOuter()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<ICategoryPages>();
        pages.Render(Category);

        sut.Products.Save(sut.Database.Get(2) with { Name = "Espresso" });

        Assert.AreEqual("Tea, Espresso", pages.Render(Category));
        Assert.AreEqual(2, sut.Calls[nameof(ICategoryPages.Render)]);
    }

    [TestMethod]
    public void GetOrThrow_TargetThrows_SameExceptionAndNothingCached()
    {
        using var sut = CreateSut();

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.GetOrThrow(-1));
        Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.GetOrThrow(-1));

        Assert.AreSame(sut.Target.Failure, thrown);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetOrThrow)]);
    }

    [TestMethod]
    public void GetFromCatalogCache_NamedCache_InvalidatedOnlyThere()
    {
        using var sut = CreateSut();
        sut.Products.GetFromCatalogCache(3);

        sut.Products.Save(sut.Database.Get(3));
        sut.Products.GetFromCatalogCache(3);
        sut.Products.Reprice(3);
        sut.Products.GetFromCatalogCache(3);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetFromCatalogCache)], "only Reprice invalidates the catalog cache");
    }

    [TestMethod]
    public async Task GetSlowAsync_ConcurrentCallers_TargetRunsOnce()
    {
        using var sut = CreateSut();
        var callers = Enumerable.Range(0, 8).Select(_ => sut.AsyncProducts.GetSlowAsync(1)).ToArray();

        sut.AsyncTarget.Gate.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetSlowAsync)]);
        Assert.IsTrue(results.All(r => ReferenceEquals(r, results[0])));
    }

    /// <summary>Makes the container the scenario runs over, with <see cref="ICategoryPages"/> wrapped too.</summary>
    protected abstract ICatalogSut CreateContainer();

    private ICatalogSut CreateSut()
    {
        var sut = CreateContainer();
        Decorated = sut.Caches as DecoratingTagCacheProvider;
        return sut;
    }

    private void AssertUsedTheCache()
    {
        if (Decorated is not null)
        {
            Assert.IsGreaterThan(0, Decorated.Calls, "the interceptor went through the third-party cache");
        }
    }
}
