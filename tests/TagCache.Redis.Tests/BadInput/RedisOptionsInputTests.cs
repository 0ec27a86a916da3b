namespace TagCache.Redis.Tests.BadInput;

/// <summary>UseRedis's input: each mistake an early, clear error that names the option and the fix.</summary>
[TestClass]
public sealed class RedisOptionsInputTests
{
    [TestMethod]
    [DataRow("")]
    [DataRow("has space")]
    [DataRow("{braces}")]
    [DataRow("a-prefix-that-is-much-longer-than-forty-characters")]
    public void Prefix_NotAPlainName_ThrowsNamingTheRule(string prefix)
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().UseRedis("127.0.0.1:6379", r => r.Prefix = prefix));

        Assert.Contains("letters, digits", thrown.Message);
    }

    [TestMethod]
    public void MaxStalenessBelowTwoPolls_ThrowsConfigurationErrorWithTheFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => new TagCacheOptions().UseRedis("127.0.0.1:6379", r =>
        {
            r.PollInterval = TimeSpan.FromSeconds(2);
            r.MaxStaleness = TimeSpan.FromSeconds(3);
        }));

        Assert.Contains("at least twice PollInterval", thrown.Message);
    }

    [TestMethod]
    public void CalledTwiceOrAfterUsePostgres_Throws()
    {
        var options = new TagCacheOptions().UseRedis("127.0.0.1:6379");

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => options.UseRedis("127.0.0.1:6380"));

        Assert.Contains("configured already", thrown.Message);
    }

    [TestMethod]
    public void Configuration_Empty_Throws() =>
        Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().UseRedis(" "));

    [TestMethod]
    public void Durations_NotPositive_ThrowNamingTheOption()
    {
        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().UseRedis("127.0.0.1:6379", r => r.Retention = TimeSpan.Zero));

        Assert.Contains("Retention must be positive", thrown.Message);
    }
}
