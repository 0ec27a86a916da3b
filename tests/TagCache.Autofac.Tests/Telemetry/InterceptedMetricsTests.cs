using System.Diagnostics.Metrics;
using Autofac;
using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.Autofac.Tests.Telemetry;

/// <summary>Intercepted calls report on the container's <c>TagCache</c> meter, tagged with the method they were made through.</summary>
[TestClass]
public sealed class InterceptedMetricsTests
{
    private const string GetProduct = "IProductService.GetProduct";

    [TestMethod]
    public void GetProduct_MissThenHit_CountsEachReadOnceWithTheMethod()
    {
        using var fixture = new Fixture();

        fixture.Catalog.Products.GetProduct(1);
        fixture.Catalog.Products.GetProduct(1);

        var requests = fixture.Recorder.Of("tagcache.requests");
        Assert.AreEqual(2, requests.Count);
        Assert.IsTrue(requests[0].Has(("tagcache.cache", "default"), ("tagcache.method", GetProduct), ("tagcache.result", "miss"), ("tagcache.miss_reason", "absent")));
        Assert.IsTrue(requests[1].Has(("tagcache.cache", "default"), ("tagcache.method", GetProduct), ("tagcache.result", "hit"), ("tagcache.miss_reason", null)));
        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.computations", ("tagcache.method", GetProduct), ("tagcache.outcome", "stored")));
        Assert.IsTrue(fixture.Recorder.Of("tagcache.computation.duration").Single().Has(("tagcache.cache", "default"), ("tagcache.method", GetProduct), ("tagcache.outcome", null)));
    }

    [TestMethod]
    public void GetProduct_AfterSaveInvalidatedIt_CountsMissStaleAndTheInvalidationsAsMethod()
    {
        using var fixture = new Fixture();
        var product = fixture.Catalog.Products.GetProduct(1);

        fixture.Catalog.Products.Save(product with { Name = "renamed" });
        fixture.Catalog.Products.GetProduct(1);

        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.requests", ("tagcache.method", GetProduct), ("tagcache.miss_reason", "stale")));
        Assert.AreEqual(2, fixture.Recorder.Sum("tagcache.invalidations", ("tagcache.cache", "default"), ("tagcache.origin", "method")));
        Assert.IsFalse(fixture.Recorder.Of("tagcache.invalidations").Any(m => m.Tags.ContainsKey("tagcache.method")), "invalidations are tagged by cache and origin only");
    }

    [TestMethod]
    public async Task AsyncMethods_MissThenHit_CountOneReadPerCall()
    {
        using var fixture = new Fixture();
        var products = fixture.Catalog.AsyncProducts;

        await products.GetProductAsync(1);
        await products.GetProductAsync(1);
        await products.GetProductValueAsync(2);
        await products.GetProductValueAsync(2);

        foreach (var method in new[] { "IAsyncProductService.GetProductAsync", "IAsyncProductService.GetProductValueAsync" })
        {
            Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.requests", ("tagcache.method", method), ("tagcache.result", "miss")), method);
            Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.requests", ("tagcache.method", method), ("tagcache.result", "hit")), method);
            Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.computations", ("tagcache.method", method), ("tagcache.outcome", "stored")), method);
        }

        Assert.AreEqual(4, fixture.Recorder.Of("tagcache.requests").Count);
    }

    [TestMethod]
    public async Task GetSlowAsync_SecondCallerWhileComputing_CountsTheJoinWithTheMethod()
    {
        using var fixture = new Fixture();
        var products = fixture.Catalog.AsyncProducts;

        var first = products.GetSlowAsync(1);
        var second = products.GetSlowAsync(1);
        fixture.Catalog.AsyncTarget.Gate.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(20));

        var join = fixture.Recorder.Of("tagcache.joins").Single();
        Assert.IsTrue(join.Has(("tagcache.cache", "default"), ("tagcache.method", "IAsyncProductService.GetSlowAsync")));
        Assert.AreEqual(1, fixture.Catalog.Calls["GetSlowAsync"]);
    }

    [TestMethod]
    public void GetOrThrow_TargetFails_CountsFailedComputationAndAMissButNoFault()
    {
        using var fixture = new Fixture();

        Assert.ThrowsExactly<InvalidOperationException>(() => fixture.Catalog.Products.GetOrThrow(-1));

        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.computations", ("tagcache.method", "IProductService.GetOrThrow"), ("tagcache.outcome", "failed")));
        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.requests", ("tagcache.method", "IProductService.GetOrThrow"), ("tagcache.miss_reason", "absent")));
        Assert.AreEqual(0, fixture.Recorder.Of("tagcache.faults").Count, "the target's own failure is not a fault of the cache");
    }

    [TestMethod]
    public void Invalidations_OfEachOrigin_AreCountedApart()
    {
        using var fixture = new Fixture(options => options.InvalidateOn<ProductRenamed>("Product_{ProductId}"));

        fixture.Catalog.Products.TouchCategory(1);
        fixture.Catalog.Resolve<ICacheSweeper>().Sweep(new ProductRenamed(1, 2));
        fixture.Catalog.Resolve<ITagCache>().InvalidateTags("a", "b", "c");

        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.invalidations", ("tagcache.origin", "method")));
        Assert.AreEqual(1, fixture.Recorder.Sum("tagcache.invalidations", ("tagcache.origin", "event")));
        Assert.AreEqual(3, fixture.Recorder.Sum("tagcache.invalidations", ("tagcache.origin", "manual")));
    }

    [TestMethod]
    public void GetFromCatalogCache_NamedCache_IsTaggedWithItsCache()
    {
        using var fixture = new Fixture();

        fixture.Catalog.Products.GetFromCatalogCache(1);

        Assert.IsTrue(fixture.Recorder.Of("tagcache.requests").Single().Has(("tagcache.cache", "catalog"), ("tagcache.method", "IProductService.GetFromCatalogCache")));
    }

    [TestMethod]
    public void Statistics_ResolvedProvider_CountsInterceptedCalls()
    {
        using var fixture = new Fixture(options => options.TrackStatistics = true);

        fixture.Catalog.Products.GetProduct(1);
        fixture.Catalog.Products.GetProduct(1);

        var stats = fixture.Catalog.Resolve<TagCacheProvider>().GetCurrentStatistics()!;
        Assert.AreEqual(1, stats.Hits);
        Assert.AreEqual(1, stats.MissesAbsent);
        Assert.AreEqual(1, stats.ComputationsStored);
        Assert.AreEqual(1, stats.Entries);
    }

    private sealed class Fixture : IDisposable
    {
        public Fixture(Action<TagCacheOptions>? configure = null)
        {
            Recorder = new TagCacheMetrics();
            Catalog = new CatalogContainer(builder =>
            {
                builder.RegisterInstance(Recorder.Factory).As<IMeterFactory>();
                builder.RegisterInstance(Logs.Factory).As<ILoggerFactory>();
                if (configure is not null)
                {
                    builder.AddTagCache(configure);
                }
            });
        }

        public LogCapture Logs { get; } = new();

        public TagCacheMetrics Recorder { get; }

        public CatalogContainer Catalog { get; }

        public void Dispose()
        {
            Catalog.Dispose();
            Recorder.Dispose();
            Logs.Dispose();
        }
    }
}
