using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Tests.Site;

namespace TagCache.AspNetCore.Tests.Fragments;

/// <summary>
/// &lt;cache-tags&gt; fragments of a Razor Page that is itself not cached: each fragment is kept or rendered on its own,
/// by its tags, the tags appended inside it, the cached calls it makes and its version.
/// </summary>
[TestClass]
public sealed partial class CacheTagsTagHelperTests
{
    [TestMethod]
    public async Task Fragments_SecondRequest_AreServedFromCacheWhileThePageRenders()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/1");

        var second = Markers((await site.GetAsync("/fragments/1")).Body);

        Assert.AreEqual("page render 2|tagged:1|appended:1|versioned:1|service:product-1:1", second);
    }

    [TestMethod]
    public async Task Fragment_ItsTagInvalidated_RendersAgain_OthersStay()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/2");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Fragment_2");

        Assert.AreEqual("page render 2|tagged:2|appended:1|versioned:1|service:product-2:1", Markers((await site.GetAsync("/fragments/2")).Body));
    }

    [TestMethod]
    public async Task Fragment_TagAppendedInside_EvictsIt()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/3");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Extra_3");

        Assert.AreEqual("page render 2|tagged:1|appended:2|versioned:1|service:product-3:1", Markers((await site.GetAsync("/fragments/3")).Body));
    }

    [TestMethod]
    public async Task Fragment_ServiceItCalledIsInvalidated_RendersWithTheNewValue()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/4");

        site.Services.GetRequiredService<ICatalog>().Rename(4, "renamed");

        Assert.AreEqual("page render 2|tagged:1|appended:1|versioned:1|service:renamed:2", Markers((await site.GetAsync("/fragments/4")).Body));
    }

    [TestMethod]
    public async Task Fragment_NewVersion_RendersAfresh_WithoutAnInvalidation()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/5?v=1");

        var sameVersion = Markers((await site.GetAsync("/fragments/5?v=1")).Body);
        var newVersion = Markers((await site.GetAsync("/fragments/5?v=2")).Body);

        Assert.AreEqual("page render 2|tagged:1|appended:1|versioned:1|service:product-5:1", sameVersion);
        Assert.AreEqual("page render 3|tagged:1|appended:1|versioned:2|service:product-5:1", newVersion);
    }

    [TestMethod]
    public async Task Fragment_VaryBy_KeepsOneRenderingPerValue()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/6");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Fragment_7");

        Assert.AreEqual("page render 2|tagged:1|appended:1|versioned:1|service:product-6:1", Markers((await site.GetAsync("/fragments/6")).Body));
    }

    [TestMethod]
    public async Task Fragment_SharedTag_InvalidatedOnce_EvictsEveryPagesFragment()
    {
        await using var site = await TestSite.StartAsync();
        await site.GetAsync("/fragments/8");
        await site.GetAsync("/fragments/9");

        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Catalog");

        StringAssert.Contains((await site.GetAsync("/fragments/8")).Body, "[tagged:2]");
        StringAssert.Contains((await site.GetAsync("/fragments/9")).Body, "[tagged:2]");
    }

    /// <summary>The page's own render count and each fragment's marker, in page order.</summary>
    private static string Markers(string body) =>
        string.Join("|", MarkerPattern().Matches(body).Select(m => m.Groups["page"].Success ? m.Groups["page"].Value : m.Groups["marker"].Value));

    [GeneratedRegex(@"(?<page>page render \d+)|\[(?<marker>[a-z]+:[^\]]+)\]")]
    private static partial Regex MarkerPattern();
}
