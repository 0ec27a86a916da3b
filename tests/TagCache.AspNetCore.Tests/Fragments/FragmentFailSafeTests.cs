using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TagCache.AspNetCore.Tests.Site;
using TagCache.AspNetCore.Tests.Site.Pages;

namespace TagCache.AspNetCore.Tests.Fragments;

/// <summary>
/// A fragment is a computation of its request: its cache's fail-safe applies (the last good rendering answers for one that
/// throws), timeouts and eager refresh do not (they would render on after the request).
/// </summary>
[TestClass]
public sealed partial class FragmentFailSafeTests
{
    [TestMethod]
    public async Task Fragment_RenderingFailsAfterExpiry_LastGoodRenderingAnswers()
    {
        var time = new FakeTimeProvider();
        await using var site = await TestSite.StartAsync(o => o.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1), time: time);
        await site.GetAsync("/fragile/1");
        time.Advance(TimeSpan.FromSeconds(61));

        site.Services.GetRequiredService<FragmentSource>().Failing = true;
        var (body, _) = await site.GetAsync("/fragile/1");

        Assert.AreEqual("page render 2|fragile:1", Markers(body));
        Assert.AreEqual(1, site.Services.GetRequiredService<TagCacheProvider>().GetCurrentStatistics()!.FallbacksFailed);
    }

    [TestMethod]
    public async Task Fragment_RenderingFailsAfterInvalidation_PageFails()
    {
        var time = new FakeTimeProvider();
        await using var site = await TestSite.StartAsync(o => o.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1), time: time);
        await site.GetAsync("/fragile/1");
        site.Services.GetRequiredService<ITagCache>().InvalidateTags("Fragile_1");

        site.Services.GetRequiredService<FragmentSource>().Failing = true;
        using var response = await site.Client.GetAsync(new Uri("/fragile/1", UriKind.Relative));

        Assert.AreEqual(HttpStatusCode.InternalServerError, response.StatusCode, "an invalidated rendering is no fallback");
    }

    [TestMethod]
    public async Task Fragment_CacheWithSoftTimeoutAndEagerRefresh_RendersInItsRequest()
    {
        var time = new FakeTimeProvider();
        await using var site = await TestSite.StartAsync(
            o =>
            {
                o.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1);
                o.Resilience.SoftTimeout = TimeSpan.FromMilliseconds(1);
                o.Resilience.EagerRefreshThreshold = 0.1;
            },
            time: time);
        await site.GetAsync("/fragile/1");
        time.Advance(TimeSpan.FromSeconds(30));

        var (body, _) = await site.GetAsync("/fragile/1");
        await Task.Delay(100);

        Assert.AreEqual("page render 2|fragile:1", Markers(body));
        Assert.AreEqual(1, site.Renders.Count("fragile1"), "no refresh rendered the fragment outside a request");
    }

    private static string Markers(string body) => string.Join("|", MarkerPattern().Matches(body).Select(m => m.Groups[1].Value));

    [GeneratedRegex(@"(page render \d+|fragile:\d+)")]
    private static partial Regex MarkerPattern();
}
