using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class AsyncCachingTests
{
    [TestMethod]
    public async Task GetProductAsync_CalledTwice_RunsTargetOnce()
    {
        using var sut = new CatalogContainer();

        var first = await sut.AsyncProducts.GetProductAsync(1);
        var second = await sut.AsyncProducts.GetProductAsync(1);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductAsync)]);
    }

    [TestMethod]
    public async Task GetProductAsync_Hit_ReturnsSameCompletedTaskInstance()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);

        var hit = sut.AsyncProducts.GetProductAsync(1);
        var again = sut.AsyncProducts.GetProductAsync(1);

        Assert.IsTrue(hit.IsCompletedSuccessfully);
        Assert.AreSame(hit, again);
        Assert.AreEqual("Tea", (await hit).Name);
    }

    [TestMethod]
    public async Task GetProductValueAsync_CalledTwice_RunsTargetOnceAndHitCompletesSynchronously()
    {
        using var sut = new CatalogContainer();

        var first = await sut.AsyncProducts.GetProductValueAsync(1);
        var hit = sut.AsyncProducts.GetProductValueAsync(1);

        Assert.IsTrue(hit.IsCompletedSuccessfully);
        Assert.AreSame(first, await hit);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetProductValueAsync)]);
    }

    [TestMethod]
    public async Task SaveAsync_AfterGetProductAsync_InvalidatesProductAndCategory()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);
        var listing = await sut.AsyncProducts.ListCategoryAsync(10);

        await sut.AsyncProducts.SaveAsync(new Product(1, "Green tea", 10));
        var product = await sut.AsyncProducts.GetProductAsync(1);
        var relisted = await sut.AsyncProducts.ListCategoryAsync(10);

        Assert.AreEqual("Green tea", product.Name);
        Assert.AreEqual("Tea", listing[0].Name);
        Assert.AreEqual("Green tea", relisted[0].Name);
        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.GetProductAsync)]);
        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.ListCategoryAsync)]);
    }

    [TestMethod]
    public async Task SaveAsync_BeforeTaskCompletes_HasNotInvalidatedYet()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductAsync(1);

        // The target waits on a gate before saving, so the returned task is still running when we look.
        sut.AsyncTarget.SaveGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var saving = sut.AsyncProducts.SaveAsync(new Product(1, "Green tea", 10));
        var duringSave = sut.AsyncProducts.GetProductAsync(1);
        Assert.IsFalse(saving.IsCompleted);
        sut.AsyncTarget.SaveGate.SetResult();
        await saving;

        Assert.IsTrue(duringSave.IsCompletedSuccessfully);
        Assert.AreEqual("Tea", (await duringSave).Name);
        Assert.AreEqual("Green tea", (await sut.AsyncProducts.GetProductAsync(1)).Name);
    }

    [TestMethod]
    public async Task TouchAsync_ValueTaskMethod_InvalidatesAfterCompletion()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetProductValueAsync(2);

        await sut.AsyncProducts.TouchAsync(2);
        await sut.AsyncProducts.GetProductValueAsync(2);

        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.TouchAsync)]);
        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.GetProductValueAsync)]);
    }

    [TestMethod]
    public async Task RenameAsync_TagsFromResult_InvalidatesResultTags()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.ListCategoryAsync(10);

        var renamed = await sut.AsyncProducts.RenameAsync(2, "Espresso");
        var listing = await sut.AsyncProducts.ListCategoryAsync(10);

        Assert.AreEqual("Espresso", renamed.Name);
        Assert.AreEqual("Espresso", listing[1].Name);
    }

    [TestMethod]
    public async Task GetTaggedByCategoryAsync_CategoryInvalidated_RecomputesThroughResultTag()
    {
        using var sut = new CatalogContainer();
        await sut.AsyncProducts.GetTaggedByCategoryAsync(1, CancellationToken.None);
        await sut.AsyncProducts.GetTaggedByCategoryAsync(3, CancellationToken.None);

        sut.Products.TouchCategory(10);
        await sut.AsyncProducts.GetTaggedByCategoryAsync(1, CancellationToken.None);
        await sut.AsyncProducts.GetTaggedByCategoryAsync(3, CancellationToken.None);

        Assert.AreEqual(3, sut.Calls[nameof(IAsyncProductService.GetTaggedByCategoryAsync)]);
    }

    [TestMethod]
    public async Task GetTaggedByCategoryAsync_DifferentTokens_ShareOneEntry()
    {
        using var sut = new CatalogContainer();
        using var source = new CancellationTokenSource();

        var first = await sut.AsyncProducts.GetTaggedByCategoryAsync(1, source.Token);
        var second = await sut.AsyncProducts.GetTaggedByCategoryAsync(1, CancellationToken.None);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetTaggedByCategoryAsync)]);
    }

    [TestMethod]
    public async Task GetSlowAsync_ConcurrentMisses_RunTargetOnce()
    {
        using var sut = new CatalogContainer();

        var calls = Enumerable.Range(0, 8).Select(_ => sut.AsyncProducts.GetSlowAsync(3)).ToArray();
        sut.AsyncTarget.Gate.SetResult();
        var results = await Task.WhenAll(calls);

        Assert.AreEqual(1, sut.Calls[nameof(IAsyncProductService.GetSlowAsync)]);
        Assert.IsTrue(results.All(r => ReferenceEquals(r, results[0])));
    }

    [TestMethod]
    public async Task GetUncachedAsync_NoAttributes_ReturnsTargetTaskUntouched()
    {
        using var sut = new CatalogContainer();

        await sut.AsyncProducts.GetUncachedAsync(1);
        await sut.AsyncProducts.GetUncachedAsync(1);

        Assert.AreEqual(2, sut.Calls[nameof(IAsyncProductService.GetUncachedAsync)]);
    }
}
