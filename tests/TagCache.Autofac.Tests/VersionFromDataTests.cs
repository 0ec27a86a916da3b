using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class VersionFromDataTests
{
    private static readonly DateTimeOffset Published = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public void Render_SameUpdatedAt_ServedFromCache()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<IArticlePages>();

        var first = pages.Render(new Article(1, "Hello", Published));
        var second = pages.Render(new Article(1, "Hello, edited but not saved", Published));

        Assert.AreEqual("<h1>Hello</h1>", first);
        Assert.AreEqual(first, second);
        Assert.AreEqual(1, sut.Calls[nameof(IArticlePages.Render)]);
    }

    [TestMethod]
    public void Render_NewUpdatedAt_NewKeySoOldEntryIsNeverServed()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<IArticlePages>();
        pages.Render(new Article(1, "Hello", Published));

        var edited = pages.Render(new Article(1, "Hello again", Published.AddSeconds(1)));
        var editedAgain = pages.Render(new Article(1, "Hello again", Published.AddSeconds(1)));

        Assert.AreEqual("<h1>Hello again</h1>", edited);
        Assert.AreEqual(edited, editedAgain);
        Assert.AreEqual(2, sut.Calls[nameof(IArticlePages.Render)]);
    }

    [TestMethod]
    public void Render_KeyTemplate_ContainsIdAndRoundTripTimestamp()
    {
        using var sut = CreateSut();
        var pages = sut.Resolve<IArticlePages>();

        pages.Render(new Article(7, "Hello", Published));

        // The key is exactly the template's text, so the manual API reaches the same entry.
        Assert.IsTrue(sut.Caches.GetCache(TagCacheOptions.DefaultCacheName).TryGet<string>("Article_7_2024-05-01T12:00:00.0000000+00:00", out var value));
        Assert.AreEqual("<h1>Hello</h1>", value);
    }

    private static CatalogContainer CreateSut() =>
        new(builder => builder.RegisterType<ArticlePages>().As<IArticlePages>().SingleInstance().EnableTagCaching());
}
