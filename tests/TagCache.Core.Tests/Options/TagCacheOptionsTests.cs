namespace TagCache.Core.Tests.Options;

[TestClass]
public sealed class TagCacheOptionsTests
{
    [TestMethod]
    [DataRow(0)]
    [DataRow(-5)]
    public void DefaultTimeout_NotPositive_Throws(int seconds)
    {
        var options = new TagCacheOptions();

        var error = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.DefaultTimeout = TimeSpan.FromSeconds(seconds));

        StringAssert.Contains(error.Message, "DefaultTimeout must be positive");
    }

    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1L)]
    public void SizeLimit_NotPositive_Throws(long limit) =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().SizeLimit = limit);

    [TestMethod]
    public void EntryTimeout_Negative_Throws() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheEntryOptions { Timeout = TimeSpan.FromSeconds(-1) });

    [TestMethod]
    public void AddCache_SameNameTwice_Throws()
    {
        var options = new TagCacheOptions().AddCache("a");

        var error = Assert.ThrowsExactly<ArgumentException>(() => options.AddCache("a"));

        StringAssert.Contains(error.Message, "already added");
    }

    [TestMethod]
    public void CacheNames_IncludeDefaultAndAdded()
    {
        var options = new TagCacheOptions().AddCache("listings");

        CollectionAssert.AreEquivalent(new[] { "default", "listings" }, options.CacheNames.ToArray());
    }

    [TestMethod]
    public void Defaults_AreDocumentedValues()
    {
        var options = new TagCacheOptions();

        Assert.AreEqual(TimeSpan.FromHours(1), options.DefaultTimeout);
        Assert.IsNull(options.SizeLimit);
        Assert.AreEqual(TimeSpan.FromSeconds(30), options.ReclaimInterval);
    }
}
