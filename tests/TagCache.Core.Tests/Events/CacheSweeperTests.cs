namespace TagCache.Core.Tests.Events;

[TestClass]
public sealed class CacheSweeperTests
{
    private interface IProductEvent
    {
        int ProductId { get; }
    }

    [TestMethod]
    public void Sweep_RegisteredEvent_InvalidatesItsTags()
    {
        using var caches = CreateSut(o => o.InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"]));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("p5", "five", Tags("Product_5"));
        cache.Set("p6", "six", Tags("Product_6"));

        caches.Sweeper.Sweep(new ProductChanged(5, 1));

        Assert.IsFalse(cache.TryGet<string>("p5", out _));
        Assert.IsTrue(cache.TryGet<string>("p6", out var six));
        Assert.AreEqual("six", six);
    }

    [TestMethod]
    public void Sweep_SeveralRegistrationsForOneType_AppliesAll()
    {
        using var caches = CreateSut(o => o
            .InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"])
            .InvalidateOn<ProductChanged>(e => [$"Category_{e.CategoryId}"]));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("product", 1, Tags("Product_5"));
        cache.Set("category", 2, Tags("Category_7"));

        caches.Sweeper.Sweep(new ProductChanged(5, 7));

        Assert.IsFalse(cache.TryGet<int>("product", out _));
        Assert.IsFalse(cache.TryGet<int>("category", out _));
    }

    [TestMethod]
    public void Sweep_RegisteredForBaseTypeAndInterface_MatchesDerivedEvent()
    {
        using var caches = CreateSut(o => o
            .InvalidateOn<ProductEvent>(e => [$"Base_{e.ProductId}"])
            .InvalidateOn<IProductEvent>(e => [$"Interface_{e.ProductId}"])
            .InvalidateOn<object>(_ => ["Everything"]));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("base", 1, Tags("Base_3"));
        cache.Set("interface", 2, Tags("Interface_3"));
        cache.Set("everything", 3, Tags("Everything"));

        caches.Sweeper.Sweep(new ProductDeleted(3));

        Assert.IsFalse(cache.TryGet<int>("base", out _));
        Assert.IsFalse(cache.TryGet<int>("interface", out _));
        Assert.IsFalse(cache.TryGet<int>("everything", out _));
    }

    [TestMethod]
    public void Sweep_UnrelatedEvent_InvalidatesNothing()
    {
        using var caches = CreateSut(o => o.InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"]));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("p5", "five", Tags("Product_5"));

        caches.Sweeper.Sweep(new ProductDeleted(5));

        Assert.IsTrue(cache.TryGet<string>("p5", out _));
    }

    [TestMethod]
    public void Sweep_NamedCache_InvalidatesOnlyThatCache()
    {
        using var caches = CreateSut(o => o
            .AddCache("listings")
            .InvalidateOn<ProductChanged>(e => [$"Category_{e.CategoryId}"], cache: "listings"));
        var listings = caches.GetCache("listings");
        var fallback = caches.GetCache(TagCacheOptions.DefaultCacheName);
        listings.Set("page", "listing", Tags("Category_7"));
        fallback.Set("page", "default", Tags("Category_7"));

        caches.Sweeper.Sweep(new ProductChanged(5, 7));

        Assert.IsFalse(listings.TryGet<string>("page", out _));
        Assert.IsTrue(fallback.TryGet<string>("page", out _));
    }

    [TestMethod]
    public async Task SweepAsync_RegisteredEvent_InvalidatesItsTags()
    {
        using var caches = CreateSut(o => o.InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"]));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("p5", "five", Tags("Product_5"));

        await caches.Sweeper.SweepAsync(new ProductChanged(5, 1));

        Assert.IsFalse(cache.TryGet<string>("p5", out _));
    }

    [TestMethod]
    public void Sweep_OneTagFunctionThrows_InvalidatesNothing()
    {
        var failure = new InvalidOperationException("broken tag function");
        using var caches = CreateSut(o => o
            .InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"])
            .InvalidateOn<ProductChanged>(_ => throw failure));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("p5", "five", Tags("Product_5"));

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => caches.Sweeper.Sweep(new ProductChanged(5, 1)));

        Assert.AreSame(failure, thrown);
        Assert.IsTrue(cache.TryGet<string>("p5", out _));
    }

    [TestMethod]
    [DataRow(null, DisplayName = "null tag")]
    [DataRow("", DisplayName = "empty tag")]
    public async Task Sweep_RuleYieldsInvalidTagForSecondCache_InvalidatesNoCache(string? bad)
    {
        using var caches = CreateSut(o => o
            .AddCache("listings")
            .InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"])
            .InvalidateOn<ProductChanged>(_ => [bad!], cache: "listings"));
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
        cache.Set("p5", "five", Tags("Product_5"));

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => caches.Sweeper.Sweep(new ProductChanged(5, 1)));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => caches.Sweeper.SweepAsync(new ProductChanged(5, 1)).AsTask());

        StringAssert.Contains(thrown.Message, "InvalidateOn<ProductChanged>");
        Assert.IsTrue(cache.TryGet<string>("p5", out _), "nothing is invalidated when any tag is invalid");
    }

    [TestMethod]
    public void Sweep_NullEvent_Throws()
    {
        using var caches = CreateSut(o => o.InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"]));

        Assert.ThrowsExactly<ArgumentNullException>(() => caches.Sweeper.Sweep(null!));
    }

    [TestMethod]
    public void Create_InvalidateOnUnknownCache_FailsNamingEventTypeAndFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() =>
            CreateSut(o => o.InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"], cache: "missing")));

        StringAssert.Contains(thrown.Message, "InvalidateOn<ProductChanged>");
        StringAssert.Contains(thrown.Message, "'missing'");
        StringAssert.Contains(thrown.Message, "options.AddCache(\"missing\")");
    }

    [TestMethod]
    public void Create_InvalidateOnCacheAddedLater_Succeeds()
    {
        using var caches = CreateSut(o => o
            .InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}"], cache: "late")
            .AddCache("late"));
        var late = caches.GetCache("late");
        late.Set("p5", "five", Tags("Product_5"));

        caches.Sweeper.Sweep(new ProductChanged(5, 1));

        Assert.IsFalse(late.TryGet<string>("p5", out _));
    }

    [TestMethod]
    public void GetSweeper_SameCaches_ReturnsSameInstance()
    {
        using var caches = CreateSut(_ => { });

        Assert.AreSame(TagCacheFactory.GetSweeper(caches.Inner), TagCacheFactory.GetSweeper(caches.Inner));
    }

    [TestMethod]
    public void GetSweeper_ForeignProvider_ThrowsWithFix()
    {
        var foreign = NSubstitute.Substitute.For<ITagCacheProvider>();

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => TagCacheFactory.GetSweeper(foreign));

        StringAssert.Contains(thrown.Message, "TagCacheFactory.Create");
    }

    private static DisposableCaches CreateSut(Action<TagCacheOptions> configure) => new(TagCacheFactory.Create(configure));

    private static TagCacheEntryOptions Tags(params string[] tags) => new() { Tags = tags };

    private abstract record ProductEvent(int ProductId) : IProductEvent;

    private sealed record ProductChanged(int ProductId, int CategoryId);

    private sealed record ProductDeleted(int ProductId) : ProductEvent(ProductId);

    /// <summary>The provider, disposed at the end of the test so its background sweep stops.</summary>
    private sealed class DisposableCaches(ITagCacheProvider inner) : IDisposable
    {
        public ITagCacheProvider Inner => inner;

        public ICacheSweeper Sweeper => TagCacheFactory.GetSweeper(inner);

        public ITagCache GetCache(string name) => inner.GetCache(name);

        public void Dispose() => ((IDisposable)inner).Dispose();
    }
}
