using Castle.DynamicProxy;
using NSubstitute;
using TagCache.Testing;

namespace TagCache.Interception.Tests;

public interface IMockedCatalog
{
    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}", Key = "product:{id}", Timeout = 60)]
    Product GetProduct(int id);

    [CacheWithTags("Listing_{categoryId}")]
    Task<IReadOnlyList<Product>> ListAsync(int categoryId);

    [CacheWithTags("Product_{id}", Cache = "other")]
    ValueTask<Product> GetOtherAsync(int id);

    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}")]
    void Save(Product product);

    [InvalidateTags("Product_{id}")]
    Task DeleteAsync(int id);

    Product Uncached(int id);
}

public sealed class MockedCatalog : IMockedCatalog
{
    public int Calls { get; private set; }

    public bool Fail { get; set; }

    public Product GetProduct(int id)
    {
        Calls++;
        return new Product(id, "P" + id, 7);
    }

    public Task<IReadOnlyList<Product>> ListAsync(int categoryId)
    {
        Calls++;
        return Task.FromResult<IReadOnlyList<Product>>([new Product(1, "Tea", categoryId)]);
    }

    public ValueTask<Product> GetOtherAsync(int id)
    {
        Calls++;
        return ValueTask.FromResult(new Product(id, "Other", 1));
    }

    public void Save(Product product)
    {
        Calls++;
        if (Fail)
        {
            throw new InvalidOperationException("save failed");
        }
    }

    public async Task DeleteAsync(int id)
    {
        Calls++;
        await Task.Yield();
    }

    public Product Uncached(int id)
    {
        Calls++;
        return new Product(id, "Uncached", 0);
    }
}

[TestClass]
public sealed class TagCacheInterceptorTests
{
    private readonly ITagCache _cache = Substitute.For<ITagCache>();
    private readonly ITagCache _other = Substitute.For<ITagCache>();
    private readonly MockedCatalog _target = new();

    private IMockedCatalog CreateSut()
    {
        var provider = Substitute.For<ITagCacheProvider>();
        provider.GetCache(TagCacheOptions.DefaultCacheName).Returns(_cache);
        provider.GetCache("other").Returns(_other);
        return new ProxyGenerator().CreateInterfaceProxyWithTarget<IMockedCatalog>(_target, new TagCacheInterceptor(provider));
    }

    [TestMethod]
    public void GetProduct_KeyTemplate_CallsGetOrSetWithExactKeyTagsAndTimeout()
    {
        TagCacheEntryOptions? options = null;
        _cache.GetOrSet("product:42", Arg.Any<Func<Product>>(), Arg.Do<TagCacheEntryOptions?>(o => options = o))
            .Returns(call => call.Arg<Func<Product>>()());
        var sut = CreateSut();

        var product = sut.GetProduct(42);

        Assert.AreEqual(new Product(42, "P42", 7), product);
        Assert.AreEqual(1, _target.Calls);
        _cache.Received(1).GetOrSet("product:42", Arg.Any<Func<Product>>(), Arg.Any<TagCacheEntryOptions?>());
        Assert.IsNotNull(options);
        CollectionAssert.AreEqual(new[] { "Product_42" }, options.Tags.ToArray());
        Assert.AreEqual(TimeSpan.FromSeconds(60), options.Timeout);
        Assert.IsNotNull(options.ResultTags);
        CollectionAssert.AreEqual(new[] { "Category_7" }, options.ResultTags(product).ToArray());
    }

    [TestMethod]
    public void GetProduct_CacheReturnsValue_DoesNotCallTarget()
    {
        var cached = new Product(42, "cached", 1);
        _cache.GetOrSet(Arg.Any<string>(), Arg.Any<Func<Product>>(), Arg.Any<TagCacheEntryOptions?>()).Returns(cached);
        var sut = CreateSut();

        var product = sut.GetProduct(42);

        Assert.AreSame(cached, product);
        Assert.AreEqual(0, _target.Calls);
    }

    [TestMethod]
    public async Task ListAsync_DefaultKey_StoresTaskUnderMethodIdentityKey()
    {
        TagCacheEntryOptions? options = null;
        string? key = null;
        _cache.GetOrSetAsync(
                Arg.Do<string>(k => key = k),
                Arg.Any<Func<CancellationToken, ValueTask<Task<IReadOnlyList<Product>>>>>(),
                Arg.Do<TagCacheEntryOptions?>(o => options = o),
                Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Func<CancellationToken, ValueTask<Task<IReadOnlyList<Product>>>>>()(CancellationToken.None));
        var sut = CreateSut();

        var listing = await sut.ListAsync(5);

        Assert.AreEqual("TagCache.Interception.Tests.MockedCatalog|TagCache.Interception.Tests.IMockedCatalog.ListAsync(System.Int32)|5", key);
        Assert.IsNotNull(options);
        CollectionAssert.AreEqual(new[] { "Listing_5" }, options.Tags.ToArray());
        Assert.IsNull(options.Timeout);
        Assert.IsNull(options.ResultTags);
        Assert.AreEqual(5, listing[0].CategoryId);
    }

    [TestMethod]
    public async Task GetOtherAsync_NamedCache_UsesOnlyThatCache()
    {
        _other.GetOrSetAsync(Arg.Any<string>(), Arg.Any<Func<CancellationToken, ValueTask<Product>>>(), Arg.Any<TagCacheEntryOptions?>(), Arg.Any<CancellationToken>())
            .Returns(call => call.Arg<Func<CancellationToken, ValueTask<Product>>>()(CancellationToken.None));
        var sut = CreateSut();

        var product = await sut.GetOtherAsync(3);

        Assert.AreEqual("Other", product.Name);
        await _other.Received(1).GetOrSetAsync(Arg.Any<string>(), Arg.Any<Func<CancellationToken, ValueTask<Product>>>(), Arg.Is<TagCacheEntryOptions?>(o => o!.Tags.Single() == "Product_3"), Arg.Any<CancellationToken>());
        Assert.IsEmpty(_cache.ReceivedCalls());
    }

    [TestMethod]
    public void Save_Succeeds_InvalidatesExactTags()
    {
        var sut = CreateSut();

        sut.Save(new Product(1, "Tea", 10));

        _cache.Received(1).InvalidateTags(Arg.Is<string[]>(tags => tags.SequenceEqual(new[] { "Product_1", "Category_10" })));
        Assert.HasCount(1, _cache.ReceivedCalls());
    }

    [TestMethod]
    public void Save_TargetThrows_InvalidatesNothing()
    {
        _target.Fail = true;
        var sut = CreateSut();

        Assert.ThrowsExactly<InvalidOperationException>(() => sut.Save(new Product(1, "Tea", 10)));

        Assert.IsEmpty(_cache.ReceivedCalls());
    }

    [TestMethod]
    public async Task DeleteAsync_Completes_InvalidatesAsynchronouslyAfterTarget()
    {
        var sut = CreateSut();

        var deleting = sut.DeleteAsync(9);
        await deleting;

        await _cache.Received(1).InvalidateTagsAsync(Arg.Is<IEnumerable<string>>(tags => tags.SequenceEqual(new[] { "Product_9" })), Arg.Any<CancellationToken>());
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public void Uncached_NoAttributes_TouchesNoCache()
    {
        var sut = CreateSut();

        var product = sut.Uncached(4);

        Assert.AreEqual("Uncached", product.Name);
        Assert.AreEqual(1, _target.Calls);
        Assert.IsEmpty(_cache.ReceivedCalls());
    }

    [TestMethod]
    public void Intercept_UnpreparedBrokenMethod_ThrowsConfigurationExceptionOnFirstCall()
    {
        var provider = Substitute.For<ITagCacheProvider>();
        provider.GetCache(Arg.Any<string>()).Returns(_ => throw new KeyNotFoundException("No TagCache named 'nope'."));
        var sut = new ProxyGenerator().CreateInterfaceProxyWithTarget<IBrokenService>(new BrokenService(), new TagCacheInterceptor(provider));

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => sut.UnknownParameter(1));

        Assert.Contains("IBrokenService.UnknownParameter", exception.Message);
        Assert.Contains("Product_{idd}", exception.Message);
    }
}
