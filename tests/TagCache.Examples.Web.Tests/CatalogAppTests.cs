using System.Net;
using System.Net.Http.Json;

namespace TagCache.Examples.Web.Tests;

[TestClass]
public sealed class CatalogAppTests
{
    [TestMethod]
    public async Task GetProduct_Twice_SecondServedFromCache_PutInvalidates()
    {
        await using var sut = await RunningCatalog.StartAsync();

        var first = await sut.Client.GetFromJsonAsync<Product>("/products/1");
        var afterFirst = await StatsAsync(sut);
        var second = await sut.Client.GetFromJsonAsync<Product>("/products/1");
        var afterSecond = await StatsAsync(sut);

        using var put = await sut.Client.PutAsJsonAsync("/products/1", first! with { Name = "Green tea" });
        put.EnsureSuccessStatusCode();
        var third = await sut.Client.GetFromJsonAsync<Product>("/products/1");
        var afterThird = await StatsAsync(sut);

        Assert.AreEqual("Tea", first!.Name);
        Assert.AreEqual(first, second);
        Assert.AreEqual(afterFirst.ProductLoads, afterSecond.ProductLoads, "the second GET is a cache hit");
        Assert.AreEqual("Green tea", third!.Name);
        Assert.AreEqual(afterSecond.ProductLoads + 1, afterThird.ProductLoads, "the GET after the PUT loads fresh data");
    }

    [TestMethod]
    public async Task ListCategory_ProductMovedToAnotherCategory_BothListingsRefreshed()
    {
        await using var sut = await RunningCatalog.StartAsync();
        var tenBefore = await ListAsync(sut, 10);
        var twentyBefore = await ListAsync(sut, 20);
        await ListAsync(sut, 10);
        var cached = await StatsAsync(sut);

        using var put = await sut.Client.PutAsJsonAsync("/products/2", tenBefore.Single(p => p.Id == 2) with { CategoryId = 20 });
        put.EnsureSuccessStatusCode();
        var tenAfter = await ListAsync(sut, 10);
        var twentyAfter = await ListAsync(sut, 20);
        var final = await StatsAsync(sut);

        Assert.AreEqual(2, cached.CategoryLoads, "the repeated listing of category 10 is a cache hit");
        CollectionAssert.AreEqual(new[] { 1, 2 }, tenBefore.Select(p => p.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 3 }, twentyBefore.Select(p => p.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 1 }, tenAfter.Select(p => p.Id).ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3 }, twentyAfter.Select(p => p.Id).ToArray());
        Assert.AreEqual(4, final.CategoryLoads);
    }

    [TestMethod]
    public async Task PutProduct_IdMismatch_BadRequestAndCacheKept()
    {
        await using var sut = await RunningCatalog.StartAsync();
        var product = await sut.Client.GetFromJsonAsync<Product>("/products/1");

        using var put = await sut.Client.PutAsJsonAsync("/products/1", product! with { Id = 2 });
        await sut.Client.GetFromJsonAsync<Product>("/products/1");
        var stats = await StatsAsync(sut);

        Assert.AreEqual(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.AreEqual(1, stats.ProductLoads);
    }

    [TestMethod]
    public async Task GetProduct_Unknown_NotFound()
    {
        await using var sut = await RunningCatalog.StartAsync();

        using var response = await sut.Client.GetAsync(new Uri("/products/999", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<LoadStats> StatsAsync(RunningCatalog sut) =>
        (await sut.Client.GetFromJsonAsync<LoadStats>("/stats"))!;

    private static async Task<IReadOnlyList<Product>> ListAsync(RunningCatalog sut, int categoryId) =>
        (await sut.Client.GetFromJsonAsync<List<Product>>($"/categories/{categoryId}/products"))!;
}
