using System.Net.Http.Json;

namespace TagCache.Examples.Web.Tests;

[TestClass]
public sealed class CatalogStatsTests
{
    private const string GetProduct = "ICatalogService.GetProductAsync";

    [TestMethod]
    public async Task Stats_MissThenHits_HitRatioPerMethodAndMissReasons()
    {
        await using var sut = await RunningCatalog.StartAsync();

        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        var stats = await StatsAsync(sut);

        var product = stats.TagCache.Methods.Single(m => m.Method == GetProduct);
        Assert.AreEqual(3, product.Hits);
        Assert.AreEqual(1, product.Misses);
        Assert.AreEqual(0.75, product.HitRatio, 1e-9);
        Assert.AreEqual(1, product.MissReasons["absent"]);
        Assert.AreEqual(1, stats.TagCache.Computations["stored"]);
        Assert.AreEqual(1, stats.TagCache.Entries);
        Assert.AreEqual(0, stats.TagCache.Faults);
    }

    [TestMethod]
    public async Task Stats_PutInvalidates_MissReasonStaleAndInvalidationByMethod()
    {
        await using var sut = await RunningCatalog.StartAsync();
        var product = await sut.Client.GetFromJsonAsync<Product>("/products/2");

        using var put = await sut.Client.PutAsJsonAsync("/products/2", product! with { Name = "Oolong" });
        put.EnsureSuccessStatusCode();
        await sut.Client.GetFromJsonAsync<Product>("/products/2");
        var stats = await StatsAsync(sut);

        var reasons = stats.TagCache.Methods.Single(m => m.Method == GetProduct).MissReasons;
        Assert.AreEqual(1, reasons["absent"]);
        Assert.AreEqual(1, reasons["stale"], "the GET after the PUT finds the entry stamped with an old version of Product_2");
        Assert.IsTrue(stats.TagCache.Invalidations["method"] >= 2, "the PUT bumps Product_2 and its category tags");
    }

    private static async Task<CatalogStats> StatsAsync(RunningCatalog sut) =>
        (await sut.Client.GetFromJsonAsync<CatalogStats>("/stats"))!;
}
