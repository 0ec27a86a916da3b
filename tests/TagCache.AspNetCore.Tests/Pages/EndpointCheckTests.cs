using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using TagCache.AspNetCore.Tests.Site;

namespace TagCache.AspNetCore.Tests.Pages;

/// <summary>Bad endpoint caching fails when the app starts, with one message naming each endpoint, template and fix.</summary>
[TestClass]
public sealed class EndpointCheckTests
{
    [TestMethod]
    public async Task StartAsync_UnknownRouteValue_FailsNamingEndpointTemplateAndKnownNames()
    {
        await using var app = TestSite.Build(a => a.MapGet("/products/{id:int}", (int id) => id).CacheWithTags("Product_{idd}"));

        var error = await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(() => app.StartAsync());

        StringAssert.Contains(error.Message, "HTTP: GET /products/{id:int}");
        StringAssert.Contains(error.Message, "Product_{idd}");
        StringAssert.Contains(error.Message, "unknown name 'idd'. Known names: id. Write {id}.");
        StringAssert.Contains(error.Message, "route values");
    }

    [TestMethod]
    public async Task StartAsync_EveryBadEndpoint_IsListedInOneError()
    {
        await using var app = TestSite.Build(a =>
        {
            a.MapGet("/a/{id}", (string id) => id).CacheWithTags("A_{id");
            a.MapGet("/b", () => "b").CacheWithTags(["B_{page}"], timeout: null, queryKeys: ["pages"]);
            a.MapGet("/c/{id}", (string id) => id).CacheWithTags(["C_{id}"], timeout: null, queryKeys: ["id"]);
            a.MapGet("/ok/{id}", (string id) => id).CacheWithTags("Ok_{id}");
        });

        var error = await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(() => app.StartAsync());

        Assert.HasCount(3, error.Problems, error.Message);
        StringAssert.Contains(error.Problems[0], "/a/{id}");
        StringAssert.Contains(error.Problems[0], "is not closed");
        StringAssert.Contains(error.Problems[1], "/b");
        StringAssert.Contains(error.Problems[1], "Known names: pages. Write {pages}.");
        StringAssert.Contains(error.Problems[2], "'id' in QueryKeys is also a route value");
    }

    [TestMethod]
    public async Task StartAsync_AnotherPolicyAddedLast_FailsBecauseTheTagsWouldNeverApply()
    {
        await using var app = TestSite.Build(a =>
            a.MapGet("/p/{id}", (string id) => id).WithMetadata(new OutputCacheWithTagsAttribute("P_{id}")).CacheOutput());

        var error = await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(() => app.StartAsync());

        Assert.HasCount(1, error.Problems);
        StringAssert.Contains(error.Problems[0], "/p/{id}");
        StringAssert.Contains(error.Problems[0], "added after [OutputCacheWithTags(\"P_{id}\")]");
        StringAssert.Contains(error.Problems[0], "Remove the other policy");
    }

    [TestMethod]
    public async Task StartAsync_BadTimeout_Fails()
    {
        await using var app = TestSite.Build(a => a.MapGet("/t", () => "t").WithMetadata(new OutputCacheWithTagsAttribute("T") { Timeout = -5 }));

        var error = await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(() => app.StartAsync());

        StringAssert.Contains(error.Message, "Timeout = -5");
    }

    [TestMethod]
    public void CacheWithTags_TimeoutNotWholeSeconds_ThrowsAtOnce()
    {
        var app = WebApplication.CreateBuilder().Build();

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() =>
            app.MapGet("/x", () => "x").CacheWithTags(["X"], TimeSpan.FromMilliseconds(1500)));

        StringAssert.Contains(error.Message, "whole number of seconds");
    }

    [TestMethod]
    public async Task StartAsync_PageCacheNameUnknown_FailsNamingTheOption()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddTagCache();
        builder.Services.AddTagCacheOutputCache(o => o.Cache = "pages");
        await using var app = builder.Build();
        app.UseOutputCache();
        app.MapGet("/x", () => "x").CacheWithTags("X");

        var error = await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(() => app.StartAsync());

        StringAssert.Contains(error.Message, "TagCacheOutputCacheOptions.Cache is 'pages'");
    }

    [TestMethod]
    public async Task Policy_WithoutAddTagCacheOutputCache_FailsNamingTheFix()
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().BuildServiceProvider() };
        IOutputCachePolicy policy = new OutputCacheWithTagsAttribute("X");

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() =>
            policy.CacheRequestAsync(new OutputCacheContext { HttpContext = http }, default).AsTask());

        StringAssert.Contains(error.Message, "services.AddTagCacheOutputCache()");
    }
}
