using Autofac;
using NSubstitute;

namespace TagCache.Autofac.Tests;

/// <summary>The README's code samples, compiled and run, so the guide cannot drift from the API.</summary>
[TestClass]
public sealed class ReadmeSamplesTests
{
    public interface IProductEvent
    {
        int ProductId { get; }
    }

    [TestMethod]
    public void Reprice_InvalidatesProductTag()
    {
        var cache = Substitute.For<ITagCache>();

        new PriceUpdater(cache).Reprice(5);

        cache.Received(1).InvalidateTags("Product_5");
    }

    [TestMethod]
    public void Label_CacheReturnsStoredValue_FactoryNotUsed()
    {
        var cache = Substitute.For<ITagCache>();
        cache.GetOrSet("label:5", Arg.Any<Func<string>>(), Arg.Any<TagCacheEntryOptions?>()).Returns("cached");

        Assert.AreEqual("cached", new PriceUpdater(cache).Label(5));
    }

    [TestMethod]
    public async Task ManualApi_ReadmeSample_HitsThenMissesAfterInvalidation()
    {
        var loads = 0;
        var categoryId = 15;
        string GetValue() => "value " + Interlocked.Increment(ref loads);
        static async Task<string> RenderAsync(CancellationToken ct)
        {
            await Task.Yield();
            return "<p>page</p>";
        }

        var caches = TagCacheFactory.Create(options => options.AddCache("my_backend"));
        using var owner = (IDisposable)caches;
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);

        for (var i = 0; i < 2; i++)
        {
            if (!cache.TryGet<string>("cache_name", out var value))
            {
                value = GetValue();
                cache.Set("cache_name", value, new TagCacheEntryOptions { Tags = ["FirstModel", $"CategoryModel_{categoryId}"] });
            }
        }

        var page = await caches.GetCache("my_backend").GetOrSetAsync("page", async ct =>
        {
            var html = await RenderAsync(ct);
            CacheTags.Append("NewTag1");
            return html;
        }, new TagCacheEntryOptions { Tags = ["FirstModel"], Timeout = TimeSpan.FromHours(1) });

        cache.InvalidateTags("Tag1", "Tag2", "Tag3");
        string[] tagList = ["Tag1", "Tag2", "FirstModel"];
        cache.InvalidateTags(tagList);

        Assert.AreEqual(1, loads);
        Assert.AreEqual("<p>page</p>", page);
        Assert.IsFalse(cache.TryGet<string>("cache_name", out _));
        Assert.IsTrue(caches.GetCache("my_backend").TryGet<string>("page", out _), "named caches keep their own tag versions");
    }

    [TestMethod]
    public async Task Options_ReadmeTimeoutsAndEvents_BuildAndSweep()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options =>
        {
            options.DefaultTimeout = TimeSpan.FromMinutes(30);
            options.SizeLimit = 100_000;
            options.ReclaimInterval = TimeSpan.FromSeconds(10);
            options.AddCache("listings", c => c.DefaultTimeout = TimeSpan.FromMinutes(5));
        });
        builder.AddTagCache(options => options
            .InvalidateOn<ProductChanged>(e => [$"Product_{e.ProductId}", $"Category_{e.CategoryId}"])
            .InvalidateOn<ProductChanged>(e => [$"Category_{e.CategoryId}"], cache: "listings")
            .InvalidateOn<IProductEvent>(e => [$"Product_{e.ProductId}"]));
        using var container = builder.Build();
        var listings = container.Resolve<ITagCacheProvider>().GetCache("listings");
        listings.Set("page", "listing", new TagCacheEntryOptions { Tags = ["Category_7"] });

        await new Dispatcher(container.Resolve<ICacheSweeper>()).PublishAsync(new ProductChanged(5, 7));

        Assert.IsFalse(listings.TryGet<string>("page", out _));
    }

    public sealed record ProductChanged(int ProductId, int CategoryId) : IProductEvent;

    public sealed class Dispatcher(ICacheSweeper sweeper)
    {
        public Task PublishAsync(object domainEvent) => sweeper.SweepAsync(domainEvent).AsTask();
    }

    public sealed class PriceUpdater(ITagCache cache)
    {
        public void Reprice(int productId) => cache.InvalidateTags($"Product_{productId}");

        public string Label(int productId) =>
            cache.GetOrSet($"label:{productId}", () => $"#{productId}", new TagCacheEntryOptions { Tags = [$"Product_{productId}"] });
    }
}
