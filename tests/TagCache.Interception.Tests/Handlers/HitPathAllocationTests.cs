using TagCache.Testing;

namespace TagCache.Interception.Tests.Handlers;

[TestClass]
public sealed class HitPathAllocationTests
{
    private static long AllocatedByHits(TagCacheInterceptor interceptor, StubInvocation invocation)
    {
        for (var i = 0; i < 20; i++)
        {
            interceptor.Intercept(invocation);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            interceptor.Intercept(invocation);
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [TestMethod]
    public void Intercept_SyncHit_AllocatesNothing()
    {
        using var sut = new CatalogContainer();
        var expected = sut.Products.GetProduct(1);
        var invocation = new StubInvocation(typeof(IProductService).GetMethod(nameof(IProductService.GetProduct))!, sut.Target, [1]);

        var allocated = AllocatedByHits(sut.Resolve<TagCacheInterceptor>(), invocation);

        Assert.AreSame(expected, invocation.ReturnValue);
        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public async Task Intercept_TaskHit_ReturnsStoredTaskAndAllocatesNothing()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);
        var stored = sut.AsyncProducts.GetProductAsync(1);
        var invocation = new StubInvocation(typeof(IAsyncProductService).GetMethod(nameof(IAsyncProductService.GetProductAsync))!, sut.AsyncTarget, [1]);

        var allocated = AllocatedByHits(sut.Resolve<TagCacheInterceptor>(), invocation);

        Assert.AreSame(stored, invocation.ReturnValue);
        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public void Intercept_KeyTemplateHit_AllocatesNothing()
    {
        using var sut = new CatalogContainer();
        var expected = sut.Products.ListCategory(3);
        var invocation = new StubInvocation(typeof(IProductService).GetMethod(nameof(IProductService.ListCategory))!, sut.Target, [3]);

        var allocated = AllocatedByHits(sut.Resolve<TagCacheInterceptor>(), invocation);

        Assert.AreSame(expected, invocation.ReturnValue);
        Assert.AreEqual(0L, allocated);
    }
}
