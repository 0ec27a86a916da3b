using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Tests.Site;

namespace TagCache.AspNetCore.Tests.Pages;

/// <summary>
/// Pages and fragments in a cache whose entries vary by the request's tenant: one tenant never gets the page or fragment
/// rendered for another, and one tenant's repeat requests are served from the cache.
/// </summary>
[TestClass]
public sealed class ScopedPageTests
{
    [TestMethod]
    public async Task Page_TwoTenants_EachGetsItsOwnRenderingAndItsOwnHits()
    {
        await using var site = await TestSite.StartAsync(tenants: true);

        var acme = await site.GetAsync("/plain/1", "acme");
        var globex = await site.GetAsync("/plain/1", "globex");
        var acmeAgain = await site.GetAsync("/plain/1", "acme");

        Assert.AreEqual(("plain 1 render 1", "miss"), acme);
        Assert.AreEqual(("plain 1 render 2", "miss"), globex, "globex is not served acme's page");
        Assert.AreEqual(("plain 1 render 1", "hit"), acmeAgain);
    }

    [TestMethod]
    public async Task Page_InvalidatedTag_EvictsEveryTenantsPage()
    {
        await using var site = await TestSite.StartAsync(tenants: true);
        await site.GetAsync("/plain/2", "acme");
        await site.GetAsync("/plain/2", "globex");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Plain_2");

        Assert.AreEqual("miss", (await site.GetAsync("/plain/2", "acme")).Status);
        Assert.AreEqual("miss", (await site.GetAsync("/plain/2", "globex")).Status);
    }

    [TestMethod]
    public async Task Fragment_TwoTenants_EachGetsItsOwnRendering()
    {
        await using var site = await TestSite.StartAsync(tenants: true);

        await site.GetAsync("/fragments/5", "acme");
        await site.GetAsync("/fragments/5", "globex");
        var acmeAgain = (await site.GetAsync("/fragments/5", "acme")).Body;

        Assert.AreEqual(2, site.Renders.Count("tagged5"), "one rendering per tenant");
        StringAssert.Contains(acmeAgain, "[tagged:1]");
    }
}
