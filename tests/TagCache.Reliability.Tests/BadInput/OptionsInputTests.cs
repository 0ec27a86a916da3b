namespace TagCache.Reliability.Tests.BadInput;

/// <summary>Bad option values: rejected by the setter, naming the value.</summary>
[TestClass]
public sealed class OptionsInputTests
{
    [TestMethod]
    [DataRow(0L)]
    [DataRow(-1L)]
    public void SizeLimit_NotPositive_ThrowsArgumentOutOfRange(long limit)
    {
        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().SizeLimit = limit);
        Assert.Contains("SizeLimit must be positive", thrown.Message);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-5)]
    public void DefaultTimeout_NotPositive_ThrowsArgumentOutOfRange(int seconds)
    {
        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().DefaultTimeout = TimeSpan.FromSeconds(seconds));
        Assert.Contains("DefaultTimeout must be positive", thrown.Message);
    }

    [TestMethod]
    public void EntryTimeout_Negative_ThrowsArgumentOutOfRange()
    {
        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheEntryOptions { Timeout = TimeSpan.FromSeconds(-1) });
        Assert.Contains("Timeout must be positive", thrown.Message);
    }

    [TestMethod]
    [DataRow("")]
    [DataRow("  ")]
    public void AddCache_BlankName_ThrowsArgumentException(string name) =>
        Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().AddCache(name));

    [TestMethod]
    public void AddCache_SameNameTwice_ThrowsArgumentException()
    {
        var options = new TagCacheOptions().AddCache("listings");

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => options.AddCache("listings"));
        Assert.Contains("A cache named 'listings' is already added.", thrown.Message);
    }
}
