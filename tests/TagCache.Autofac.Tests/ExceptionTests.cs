using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class ExceptionTests
{
    [TestMethod]
    public void GetOrThrow_TargetThrows_SameExceptionWithTargetStack()
    {
        using var sut = new CatalogContainer();

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.GetOrThrow(-1));

        Assert.AreSame(sut.Target.Failure, thrown);
        Assert.Contains(nameof(ProductService.GetOrThrow), thrown.StackTrace!);
    }

    [TestMethod]
    public void GetOrThrow_AfterFailure_NothingCachedAndTargetRunsAgain()
    {
        using var sut = new CatalogContainer();
        Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.GetOrThrow(-1));

        Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.GetOrThrow(-1));

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetOrThrow)], "the failure was not cached: the target ran again");
    }

    [TestMethod]
    public void FailToSave_TargetThrows_DoesNotInvalidate()
    {
        using var sut = new CatalogContainer();
        sut.Products.GetProduct(1);

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => sut.Products.FailToSave(1));
        sut.Products.GetProduct(1);

        Assert.AreSame(sut.Target.Failure, thrown);
        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public async Task GetOrThrowAsync_TargetFaults_SameExceptionAndNotCached()
    {
        using var sut = new CatalogContainer();

        var first = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.AsyncProducts.GetOrThrowAsync(-1));
        var second = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.AsyncProducts.GetOrThrowAsync(-1));

        Assert.AreSame(sut.AsyncTarget.Failure, first);
        Assert.AreSame(first, second);
        Assert.Contains(nameof(AsyncProductService.GetOrThrowAsync), first.StackTrace!);
        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.GetOrThrowAsync)]);
    }

    [TestMethod]
    public async Task GetOrThrowValueAsync_TargetFaults_SameExceptionAndNotCached()
    {
        using var sut = new CatalogContainer();

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await sut.AsyncProducts.GetOrThrowValueAsync(-1));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await sut.AsyncProducts.GetOrThrowValueAsync(-1));

        Assert.AreSame(sut.AsyncTarget.Failure, thrown);
        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.GetOrThrowValueAsync)]);
    }

    [TestMethod]
    public async Task FailToSaveAsync_TaskFaults_DoesNotInvalidate()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.AsyncProducts.FailToSaveAsync(1));
        await sut.AsyncProducts.GetProductAsync(1);

        Assert.AreSame(sut.AsyncTarget.Failure, thrown);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductAsync)]);
    }

    [TestMethod]
    public async Task FailToTouchAsync_ValueTaskFaults_DoesNotInvalidate()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await sut.AsyncProducts.FailToTouchAsync(1));
        await sut.AsyncProducts.GetProductAsync(1);

        Assert.AreSame(sut.AsyncTarget.Failure, thrown);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductAsync)]);
    }
}
