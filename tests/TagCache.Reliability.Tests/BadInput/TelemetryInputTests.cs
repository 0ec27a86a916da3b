namespace TagCache.Reliability.Tests.BadInput;

/// <summary>Bad observability options: each fails where it is given, or when the caches are built, naming the fix.</summary>
[TestClass]
public sealed class TelemetryInputTests
{
    [TestMethod]
    [DataRow(-1)]
    [DataRow(int.MinValue)]
    public void MaxRecordedTags_Negative_ThrowsArgumentOutOfRange(int value)
    {
        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().Telemetry.MaxRecordedTags = value);
        Assert.Contains("MaxRecordedTags cannot be negative; 0 records no tags.", thrown.Message);
    }

    [TestMethod]
    [DataRow(null)]
    [DataRow("")]
    public void DeclareTags_NullOrEmptyTemplate_ThrowsArgumentException(string? template)
    {
        var thrown = Assert.Throws<ArgumentException>(() => new TagCacheOptions().DeclareTags([template!]));
        Assert.AreEqual("tagTemplates", thrown.ParamName);
    }

    [TestMethod]
    public void DeclareTags_UnclosedBrace_ThrowsNamingTemplateAndFix()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().DeclareTags(["Product_{id"]));
        Assert.Contains("The tag template 'Product_{id' has a '{' at position 8 that is not closed.", thrown.Message);
        Assert.Contains("Write {...} for a value, or '{{' for a literal brace.", thrown.Message);
    }

    [TestMethod]
    public void DeclareTags_NullList_ThrowsArgumentNull() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => new TagCacheOptions().DeclareTags(null!));

    [TestMethod]
    public void Create_DeclareTagsNamesUnknownCache_ThrowsConfigurationErrorNamingCacheAndFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(
            () => TagCacheFactory.Create(o => o.AddCache("catalog").DeclareTags(["Product_{id}"], cache: "catalgo")));

        Assert.HasCount(1, thrown.Problems);
        Assert.AreEqual(
            "options.DeclareTags([\"Product_{id}\"], cache: \"catalgo\") names the cache 'catalgo', which is not configured " +
            "(configured: default, catalog). Add it with options.AddCache(\"catalgo\"), or pass a configured cache name.",
            thrown.Problems[0]);
    }

    [TestMethod]
    public void Create_UnknownCacheInRuleAndDeclaration_ReportsBothAtOnce()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(
            () => TagCacheFactory.Create(o => o.DeclareTags(["A_{x}"], cache: "one").InvalidateOn<string>(s => [s], cache: "two")));

        Assert.HasCount(2, thrown.Problems);
        Assert.Contains("TagCache found 2 problems", thrown.Message);
    }

    [TestMethod]
    public void GetCurrentStatistics_UnknownCache_ThrowsKeyNotFoundListingConfiguredCaches()
    {
        using var provider = TagCacheFactory.Create(o => o.TrackStatistics = true);

        var thrown = Assert.ThrowsExactly<KeyNotFoundException>(() => provider.GetCurrentStatistics("nope"));
        Assert.Contains("No TagCache named 'nope' is configured. Configured caches: default.", thrown.Message);
    }

    [TestMethod]
    public void GetCurrentStatistics_TrackingOff_ReturnsNull()
    {
        using var provider = TagCacheFactory.Create();

        Assert.IsNull(provider.GetCurrentStatistics());
    }
}
