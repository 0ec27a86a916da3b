using System.Diagnostics;
using System.Net.Http.Json;
using TagCache.Testing;

namespace TagCache.Examples.Web.Tests;

/// <summary>What examples/distributed/run.sh shows, as a test: two instances sharing products and tag versions in PostgreSQL.</summary>
[TestClass]
[TestCategory("Server")]
public sealed class TwoInstancesTests
{
    [TestMethod]
    public async Task PutThroughOneInstance_BothHadItCached_OtherServesTheUpdate()
    {
        using var server = PostgresServer.Start();
        string[] shared = [$"--ConnectionStrings:Catalog={server.ConnectionString}", $"--ConnectionStrings:TagCache={server.ConnectionString}"];
        await using var a = await RunningCatalog.StartAsync(shared);
        await using var b = await RunningCatalog.StartAsync(shared);
        var product = await a.Client.GetFromJsonAsync<Product>("/products/1");
        await WaitForHitAsync(b);
        var loadsBefore = (await b.Client.GetFromJsonAsync<CatalogStats>("/stats"))!.ProductLoads;

        using var put = await a.Client.PutAsJsonAsync("/products/1", product! with { Name = "Green tea" });
        put.EnsureSuccessStatusCode();
        var clock = Stopwatch.StartNew();
        Product? seen;
        do
        {
            seen = await b.Client.GetFromJsonAsync<Product>("/products/1");
        }
        while (seen!.Name != "Green tea" && clock.Elapsed < TimeSpan.FromSeconds(10));

        Assert.AreEqual("Green tea", seen.Name, "B serves what was written through A");
        Assert.IsGreaterThan(loadsBefore, (await b.Client.GetFromJsonAsync<CatalogStats>("/stats"))!.ProductLoads, "because its cached copy was invalidated");
    }

    [TestMethod]
    public async Task PutThroughOneInstance_OtherHadThePageCached_OtherRendersItAgain()
    {
        using var server = PostgresServer.Start();
        string[] shared = [$"--ConnectionStrings:Catalog={server.ConnectionString}", $"--ConnectionStrings:TagCache={server.ConnectionString}"];
        await using var a = await RunningCatalog.StartAsync(shared);
        await using var b = await RunningCatalog.StartAsync(shared);
        var product = await a.Client.GetFromJsonAsync<Product>("/products/1");
        var clock = Stopwatch.StartNew();
        while ((await CachedPagesTests.GetPageAsync(b.Client, "/pages/products/1")).Status != "hit" && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        using var put = await a.Client.PutAsJsonAsync("/products/1", product! with { Name = "Green tea" });
        put.EnsureSuccessStatusCode();
        (string Body, string? Status) page;
        clock.Restart();
        do
        {
            page = await CachedPagesTests.GetPageAsync(b.Client, "/pages/products/1");
        }
        while (!page.Body.Contains("Green tea", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(10));

        StringAssert.Contains(page.Body, "<h1>Green tea</h1>", "B's cached page was evicted by the save through A");
    }

    /// <summary>Reads product 1 on the instance until a read is a hit: it is cached there, and the instance has caught up with the log.</summary>
    private static async Task WaitForHitAsync(RunningCatalog instance)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var before = (await instance.Client.GetFromJsonAsync<CatalogStats>("/stats"))!.ProductLoads;
            await instance.Client.GetFromJsonAsync<Product>("/products/1");
            if ((await instance.Client.GetFromJsonAsync<CatalogStats>("/stats"))!.ProductLoads == before)
            {
                return;
            }

            await Task.Delay(20);
        }

        Assert.Fail("The instance never served product 1 from its cache.");
    }
}
