using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Tests.Site;

namespace TagCache.AspNetCore.Tests.Pages;

/// <summary>Tag-cached endpoints over real HTTP: what is served from the cache, and every way a page is evicted.</summary>
[TestClass]
public sealed class EndpointCachingTests
{
    [TestMethod]
    public async Task CacheWithTags_SecondRequest_IsServedFromCache()
    {
        await using var site = await TestSite.StartAsync();

        var first = await site.GetAsync("/plain/1");
        var second = await site.GetAsync("/plain/1");
        var other = await site.GetAsync("/plain/2");

        Assert.AreEqual(("plain 1 render 1", "miss"), first);
        Assert.AreEqual(("plain 1 render 1", "hit"), second);
        Assert.AreEqual(("plain 2 render 1", "miss"), other);
        var statistics = site.Services.GetRequiredService<TagCacheProvider>().GetCurrentStatistics()!;
        Assert.IsGreaterThanOrEqualTo(1L, statistics.Hits);
        Assert.IsGreaterThanOrEqualTo(1L, statistics.ComputationsStored);
    }

    [TestMethod]
    public async Task CacheWithTags_RouteDefaultOfTheConstraintsType_IsTaggedWithItAndCached()
    {
        await using var site = await TestSite.StartAsync();

        var first = await site.GetAsync("/defaulted");
        var second = await site.GetAsync("/defaulted");
        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Defaulted_5");
        var third = await site.GetAsync("/defaulted");

        Assert.AreEqual(("defaulted 5 render 1", "miss"), first);
        Assert.AreEqual(("defaulted 5 render 1", "hit"), second);
        Assert.AreEqual(("defaulted 5 render 2", "miss"), third);
    }

    [TestMethod]
    public async Task CacheWithTags_ServiceInvalidation_EvictsPage()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/products/5");
        Assert.AreEqual("hit", (await site.GetAsync("/products/5")).Status);

        site.Services.GetRequiredService<ICatalog>().Rename(5, "renamed");

        Assert.AreEqual(("renamed render 2", "miss"), await site.GetAsync("/products/5"));
        Assert.AreEqual(("renamed render 2", "hit"), await site.GetAsync("/products/5"));
    }

    [TestMethod]
    public async Task CacheWithTags_EventSweep_EvictsPage()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/products/6");

        await site.Services.GetRequiredService<ICacheSweeper>().SweepAsync(new ProductChanged(6));

        Assert.AreEqual(("product-6 render 2", "miss"), await site.GetAsync("/products/6"));
    }

    [TestMethod]
    public async Task EvictByTagAsync_EvictsPagesCarryingTheTag_AndOnlyThose()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/products/1");
        await site.GetAsync("/products/2");
        await site.GetAsync("/plain/1");

        await site.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync("Catalog", default);

        Assert.AreEqual("miss", (await site.GetAsync("/products/1")).Status);
        Assert.AreEqual("miss", (await site.GetAsync("/products/2")).Status);
        Assert.AreEqual("hit", (await site.GetAsync("/plain/1")).Status);
    }

    [TestMethod]
    public async Task ManualInvalidation_OfAServiceTag_EvictsThePageThatCalledTheService()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/depends/7");
        await site.GetAsync("/depends/8");
        Assert.AreEqual("hit", (await site.GetAsync("/depends/7")).Status);

        // The page names no tag; it read GetProduct(7), whose tag is Product_7.
        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Product_7");

        Assert.AreEqual(("product-7 render 2", "miss"), await site.GetAsync("/depends/7"));
        Assert.AreEqual(("product-8 render 1", "hit"), await site.GetAsync("/depends/8"));
    }

    [TestMethod]
    public async Task ServiceHit_DuringRendering_StillTagsThePage()
    {
        await using var site = await TestSite.StartAsync();

        // The service value is cached before the page renders: the page learns its tag from the hit.
        site.Services.GetRequiredService<ICatalog>().GetProduct(9);
        await site.GetAsync("/depends/9");
        site.Services.GetRequiredService<ICatalog>().Rename(9, "new name");

        Assert.AreEqual(("new name render 2", "miss"), await site.GetAsync("/depends/9"));
    }

    [TestMethod]
    public async Task AppendedTag_InTheHandler_TagsThePage()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/appended/a");
        await site.GetAsync("/appended/b");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Extra_a");

        Assert.AreEqual("miss", (await site.GetAsync("/appended/a")).Status);
        Assert.AreEqual("hit", (await site.GetAsync("/appended/b")).Status);
    }

    [TestMethod]
    public async Task PageTagInvalidated_WhileRendering_IsServedButNotStored()
    {
        await using var site = await TestSite.StartAsync();
        var rendering = site.GetAsync("/slow/1");
        await site.Gates.Reached("slow1");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Slow_1");
        site.Gates.Open("slow1");

        Assert.AreEqual(("product-1 render 1", "miss"), await rendering);
        Assert.AreEqual(("product-1 render 2", "miss"), await site.GetAsync("/slow/1"));
        Assert.AreEqual(("product-1 render 2", "hit"), await site.GetAsync("/slow/1"));
    }

    [TestMethod]
    public async Task ServiceTagInvalidated_WhileRendering_IsServedButNotStored()
    {
        await using var site = await TestSite.StartAsync();
        var rendering = site.GetAsync("/slow/2");
        await site.Gates.Reached("slow2");

        // The page read product 2 before the gate; the product changes before the page is stored.
        site.Services.GetRequiredService<ICatalog>().Rename(2, "changed");
        site.Gates.Open("slow2");

        Assert.AreEqual(("product-2 render 1", "miss"), await rendering);
        Assert.AreEqual(("changed render 2", "miss"), await site.GetAsync("/slow/2"));
    }

    [TestMethod]
    public async Task QueryKey_NamedInTheTemplate_TagsAndVariesThePage()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/search?q=red");
        await site.GetAsync("/search?q=blue");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Search_red");

        Assert.AreEqual(("search red render 2", "miss"), await site.GetAsync("/search?q=red"));
        Assert.AreEqual(("search blue render 1", "hit"), await site.GetAsync("/search?q=blue"));
    }

    [TestMethod]
    public async Task RouteValue_ConstrainedToInt_FormatsLikeTheServiceTag()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/plain/05");

        // Plain_{id} with {id:int}: "05" is the int 5, so Plain_5 evicts it.
        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Plain_5");

        Assert.AreEqual("miss", (await site.GetAsync("/plain/05")).Status);
    }

    [TestMethod]
    public async Task NotFound_IsNeverStored()
    {
        await using var site = await TestSite.StartAsync();
        using var first = await site.Client.GetAsync("/missing/1");
        using var second = await site.Client.GetAsync("/missing/1");

        Assert.AreEqual(System.Net.HttpStatusCode.NotFound, second.StatusCode);
        Assert.AreEqual(2, site.Renders.Count("missing1"));
    }

    [TestMethod]
    public async Task AuthorizedRequest_IsNeitherServedFromNorStoredInTheCache()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/plain/3");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/plain/3");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "x");

        using var response = await site.Client.SendAsync(request);

        Assert.AreEqual("plain 3 render 2", await response.Content.ReadAsStringAsync());
        Assert.IsFalse(response.Headers.Contains(TestSite.StatusHeader));
        Assert.AreEqual(("plain 3 render 1", "hit"), await site.GetAsync("/plain/3"));
    }

    [TestMethod]
    public async Task FrameworkPolicyWithTag_StoredInTagCache_IsEvictedByEvictByTagAndByInvalidateTags()
    {
        await using var site = await TestSite.StartAsync();
        await site.Client.GetStringAsync("/framework/1");
        Assert.AreEqual("framework render 1", await site.Client.GetStringAsync("/framework/1"));

        await site.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync("Framework", default);
        Assert.AreEqual("framework render 2", await site.Client.GetStringAsync("/framework/1"));
        Assert.AreEqual("framework render 2", await site.Client.GetStringAsync("/framework/1"));

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Framework");
        Assert.AreEqual("framework render 3", await site.Client.GetStringAsync("/framework/1"));
    }

    [TestMethod]
    public async Task UncachedEndpoint_RendersEveryTime()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/uncached/1");

        Assert.AreEqual(("uncached render 2", null), await site.GetAsync("/uncached/1"));
    }

    [TestMethod]
    public async Task MvcAction_WithTheAttribute_IsCachedAndEvictedByTheServiceTag()
    {
        await using var site = await TestSite.StartAsync();
        Assert.AreEqual(("product-4 render 1", "miss"), await site.GetAsync("/mvc/products/4"));
        Assert.AreEqual(("product-4 render 1", "hit"), await site.GetAsync("/mvc/products/4"));

        site.Services.GetRequiredService<ICatalog>().Rename(4, "mvc");

        Assert.AreEqual(("mvc render 2", "miss"), await site.GetAsync("/mvc/products/4"));
    }

    [TestMethod]
    public async Task RazorPage_WithTheAttribute_IsCachedAndEvictedByItsOwnTagOrItsFragmentsTag()
    {
        await using var site = await TestSite.StartAsync();
        StringAssert.Contains((await site.GetAsync("/cached-page/1")).Body, "[page:1]");
        Assert.AreEqual("hit", (await site.GetAsync("/cached-page/1")).Status);

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Page_1");
        var afterPageTag = await site.GetAsync("/cached-page/1");

        // The fragment inside was still cached, and the page depends on its tag through it.
        StringAssert.Contains(afterPageTag.Body, "[page:2]");
        StringAssert.Contains(afterPageTag.Body, "[inner:1]");
        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Fragment_1");
        var afterFragmentTag = await site.GetAsync("/cached-page/1");

        Assert.AreEqual("miss", afterFragmentTag.Status);
        StringAssert.Contains(afterFragmentTag.Body, "[page:3]");
        StringAssert.Contains(afterFragmentTag.Body, "[inner:2]");
    }

    [TestMethod]
    public async Task ConcurrentRequests_ForOneUncachedPage_RenderItOnce()
    {
        await using var site = await TestSite.StartAsync();
        var requests = Enumerable.Range(0, 8).Select(_ => site.GetAsync("/slow/3")).ToArray();
        await site.Gates.Reached("slow3");
        await Task.Delay(200);
        site.Gates.Open("slow3");

        var responses = await Task.WhenAll(requests);

        Assert.AreEqual(1, site.Renders.Count("slow3"));
        Assert.IsTrue(responses.All(r => r.Body == "product-3 render 1"), string.Join(", ", responses));
    }
}
