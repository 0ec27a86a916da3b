using System.Globalization;
using TagCache.Templates;

namespace TagCache.Core.Tests;

/// <summary><see cref="CacheTags.Format"/> writes a tag exactly as a template would, whatever the current culture.</summary>
[TestClass]
public sealed class CacheTagsTests
{
    private enum Day
    {
        Monday = 1,
        Tuesday = 2,
    }

    [TestMethod]
    public void Format_CommonValues_MatchTemplateFormatting()
    {
        var date = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var offset = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var guid = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff");

        Assert.AreEqual(Template("Day_{value}", date), CacheTags.Format($"Day_{date}"));
        Assert.AreEqual(Template("At_{value}", offset), CacheTags.Format($"At_{offset}"));
        Assert.AreEqual(Template("Price_{value}", 1234.5m), CacheTags.Format($"Price_{1234.5m}"));
        Assert.AreEqual(Template("Ratio_{value}", 0.1), CacheTags.Format($"Ratio_{0.1}"));
        Assert.AreEqual(Template("Sku_{value}", guid), CacheTags.Format($"Sku_{guid}"));
        Assert.AreEqual(Template("On_{value}", Day.Tuesday), CacheTags.Format($"On_{Day.Tuesday}"));
        Assert.AreEqual(Template("Flag_{value}", true), CacheTags.Format($"Flag_{true}"));
        Assert.AreEqual(Template("Ids_{value}", new[] { 1, 2 }), CacheTags.Format($"Ids_{new[] { 1, 2 }}"));
        Assert.AreEqual("Day_2024-05-06T07:08:09.0000000Z", CacheTags.Format($"Day_{date}"));
        Assert.AreEqual("On_Tuesday", CacheTags.Format($"On_{Day.Tuesday}"));
    }

    [TestMethod]
    public void Format_Null_WritesTheTemplatesNullMarker()
    {
        string? name = null;
        int? count = null;

        Assert.AreEqual("Name_\u2205", CacheTags.Format($"Name_{name}"));
        Assert.AreEqual("Count_\u2205", CacheTags.Format($"Count_{count}"));
    }

    [TestMethod]
    public void Format_UnderCultureWithCommaDecimalsAndOtherCalendarText_StaysInvariant()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");

            Assert.AreEqual("Price_1234.5", CacheTags.Format($"Price_{1234.5m}"));
            Assert.AreEqual("Day_2024-05-06", CacheTags.Format($"Day_{new DateOnly(2024, 5, 6)}"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [TestMethod]
    public void Format_ValueWithoutStableFormatting_ThrowsNamingTheType()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => CacheTags.Format($"Thing_{new object()}"));

        StringAssert.Contains(thrown.Message, "System.Object");
        StringAssert.Contains(thrown.Message, "stable formatting");
    }

    [TestMethod]
    public void Format_TaggedThroughTemplateAndInvalidatedByFormat_Matches()
    {
        using var caches = (IDisposable)TagCacheFactory.Create();
        var cache = ((ITagCacheProvider)caches).GetCache(TagCacheOptions.DefaultCacheName);
        var day = new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc);
        cache.Set("orders", 1, new TagCacheEntryOptions { Tags = [Template("Day_{value}", day)] });

        cache.InvalidateTags(CacheTags.Format($"Day_{day}"));

        Assert.IsFalse(cache.TryGet<int>("orders", out _));
    }

    private static string Template<T>(string template, T value) =>
        TemplateCompiler.Compile(template, new TemplateScope([new TemplateParameter("value", typeof(T), 0)], resultType: null), TemplateKind.Tag).Format([value]);
}
