using System.Net.Http.Json;
using System.Text.RegularExpressions;

namespace TagCache.Examples.Web.Tests;

/// <summary>The example's cached product page and its category page with cached fragments, over real HTTP.</summary>
[TestClass]
public sealed partial class CachedPagesTests
{
    [TestMethod]
    public async Task ProductPage_SavingTheProduct_EvictsThePage()
    {
        await using var catalog = await RunningCatalog.StartAsync();
        var first = await GetPageAsync(catalog.Client, "/pages/products/1");
        var second = await GetPageAsync(catalog.Client, "/pages/products/1");

        var product = await catalog.Client.GetFromJsonAsync<Product>("/products/1");
        using var put = await catalog.Client.PutAsJsonAsync("/products/1", product! with { Name = "Green tea" });
        put.EnsureSuccessStatusCode();
        var afterSave = await GetPageAsync(catalog.Client, "/pages/products/1");

        Assert.AreEqual("miss", first.Status);
        Assert.AreEqual(("hit", first.Body), (second.Status, second.Body));
        Assert.AreEqual("miss", afterSave.Status);
        StringAssert.Contains(afterSave.Body, "<h1>Green tea</h1>");
    }

    [TestMethod]
    public async Task CategoryPage_SavingAProductOfTheCategory_RendersTheListFragmentAgain_TheBannerStays()
    {
        await using var catalog = await RunningCatalog.StartAsync();
        var first = (await GetPageAsync(catalog.Client, "/catalog/10")).Body;
        var second = (await GetPageAsync(catalog.Client, "/catalog/10")).Body;

        var product = await catalog.Client.GetFromJsonAsync<Product>("/products/1");
        using var put = await catalog.Client.PutAsJsonAsync("/products/1", product! with { Name = "Green tea" });
        put.EnsureSuccessStatusCode();
        var afterSave = (await GetPageAsync(catalog.Client, "/catalog/10")).Body;

        Assert.AreEqual(Rendered("list", first), Rendered("list", second), "the list fragment was cached");
        Assert.AreEqual(Rendered("banner", first), Rendered("banner", second), "the banner fragment was cached");
        Assert.AreNotEqual(Rendered("page", first), Rendered("page", second), "the page itself is not cached");
        Assert.AreNotEqual(Rendered("list", first), Rendered("list", afterSave), "Category_10 evicted the list");
        StringAssert.Contains(afterSave, "Green tea");
        Assert.AreEqual(Rendered("banner", first), Rendered("banner", afterSave), "the banner does not depend on the category's products");
    }

    internal static async Task<(string Body, string? Status)> GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Headers.TryGetValues("X-Cache", out var values) ? values.Single() : null);
    }

    private static string Rendered(string part, string body)
    {
        var match = RenderedPattern().Matches(body).FirstOrDefault(m => m.Groups["part"].Value == part);
        Assert.IsNotNull(match, $"No '{part} rendered at' in: {body}");
        return match.Groups["time"].Value;
    }

    [GeneratedRegex(@"(?<part>\w+) rendered at (?<time>[\d:.]+)")]
    private static partial Regex RenderedPattern();
}
