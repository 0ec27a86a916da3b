using Autofac;

namespace TagCache.Autofac.Tests.Resilience;

public interface IMisconfiguredQuotes
{
    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 2000, HardTimeoutMilliseconds = 1000)]
    int SoftLongerThanHard(int id);

    [CacheWithTags("Quote_{id}", Timeout = 600, FailSafeMaxDuration = 300)]
    int FailSafeShorterThanTimeout(int id);

    [CacheWithTags("Quote_{id}", EagerRefreshThreshold = 1.5)]
    int FractionAboveOne(int id);

    [CacheWithTags("Quote_{id}", EagerRefreshThreshold = -0.2)]
    int NegativeFraction(int id);

    [CacheWithTags("Quote_{id}", EagerRefreshThreshold = 1)]
    int FractionOfOne(int id);

    [CacheWithTags("Quote_{id}", SoftTimeoutMilliseconds = 100)]
    int SoftWithoutFailSafe(int id);

    [CacheWithTags("Quote_{id}", HardTimeoutMilliseconds = -5)]
    int NegativeHardTimeout(int id);

    [CacheWithTags("Quote_{id}", FailSafeMaxDuration = -2)]
    int NegativeFailSafe(int id);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FailSafeThrottleDuration = -1)]
    int NegativeThrottle(int id);

    [CacheWithTags("Quote_{id}", JitterMaxDuration = -3)]
    int NegativeJitter(int id);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000, EagerRefreshThreshold = 0.9, JitterMaxDuration = 5)]
    int Fine(int id);
}

public sealed class MisconfiguredQuotes : IMisconfiguredQuotes
{
    public int SoftLongerThanHard(int id) => id;

    public int FailSafeShorterThanTimeout(int id) => id;

    public int FractionAboveOne(int id) => id;

    public int NegativeFraction(int id) => id;

    public int FractionOfOne(int id) => id;

    public int SoftWithoutFailSafe(int id) => id;

    public int NegativeHardTimeout(int id) => id;

    public int NegativeFailSafe(int id) => id;

    public int NegativeThrottle(int id) => id;

    public int NegativeJitter(int id) => id;

    public int Fine(int id) => id;
}

public interface IPlainQuotes
{
    [CacheWithTags("Quote_{id}")]
    int Get(int id);

    [CacheWithTags("Quote_{id}", FailSafeMaxDuration = -1)]
    int WithoutFailSafe(int id);
}

public sealed class PlainQuotes : IPlainQuotes
{
    public int Get(int id) => id;

    public int WithoutFailSafe(int id) => id;
}

[TestClass]
public sealed class ResilienceValidationTests
{
    [TestMethod]
    [DataRow(nameof(IMisconfiguredQuotes.SoftLongerThanHard), "SoftTimeout (2 s) is not shorter than HardTimeout (1 s)", "Make the soft timeout shorter")]
    [DataRow(nameof(IMisconfiguredQuotes.FailSafeShorterThanTimeout), "FailSafeMaxDuration (300 s) is not longer than the entry's timeout (600 s)", "Make it longer than the timeout")]
    [DataRow(nameof(IMisconfiguredQuotes.FractionAboveOne), "EagerRefreshThreshold = 1.5", "between 0 and 1")]
    [DataRow(nameof(IMisconfiguredQuotes.NegativeFraction), "EagerRefreshThreshold = -0.2", "between 0 and 1")]
    [DataRow(nameof(IMisconfiguredQuotes.FractionOfOne), "EagerRefreshThreshold = 1,", "between 0 and 1")]
    [DataRow(nameof(IMisconfiguredQuotes.SoftWithoutFailSafe), "SoftTimeout (100 ms) is set without fail-safe", "Set FailSafeMaxDuration or Hedge too")]
    [DataRow(nameof(IMisconfiguredQuotes.NegativeHardTimeout), "HardTimeoutMilliseconds = -5", "-1 for no timeout")]
    [DataRow(nameof(IMisconfiguredQuotes.NegativeFailSafe), "FailSafeMaxDuration = -2", "-1 to turn an inherited fail-safe off")]
    [DataRow(nameof(IMisconfiguredQuotes.NegativeThrottle), "FailSafeThrottleDuration = -1", "positive number of seconds")]
    [DataRow(nameof(IMisconfiguredQuotes.NegativeJitter), "JitterMaxDuration = -3", "-1 to turn an inherited jitter off")]
    public void Build_ContradictoryOrOutOfRangeSetting_NamesMethodTemplateAndFix(string method, string problemText, string fix)
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<MisconfiguredQuotes>().As<IMisconfiguredQuotes>().EnableTagCaching());

        var problem = exception.Problems.Single(p => p.StartsWith($"IMisconfiguredQuotes.{method}:", StringComparison.Ordinal));
        Assert.Contains("[CacheWithTags(\"Quote_{id}\")]", problem);
        Assert.Contains(problemText, problem);
        Assert.Contains(fix, problem);
        Assert.DoesNotContain(nameof(IMisconfiguredQuotes.Fine), exception.Message);
    }

    [TestMethod]
    public void Build_CacheSoftTimeoutLongerThanHard_FailsNamingTheCache()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options => options.AddCache("quotes", cache =>
        {
            cache.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1);
            cache.Resilience.SoftTimeout = TimeSpan.FromSeconds(3);
            cache.Resilience.HardTimeout = TimeSpan.FromSeconds(2);
        }));

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.Contains("cache 'quotes'", exception.Message);
        Assert.Contains("SoftTimeout (3 s) is not shorter than HardTimeout (2 s)", exception.Message);
    }

    [TestMethod]
    public void Build_FailSafeForEveryCacheShorterThanDefaultTimeout_Fails()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options =>
        {
            options.DefaultTimeout = TimeSpan.FromHours(2);
            options.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
        });

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.Contains("FailSafeMaxDuration (3600 s) is not longer than the entry's timeout (7200 s)", exception.Message);
    }

    [TestMethod]
    public void Build_MethodTurnsInheritedFailSafeOff_DropsTheSoftTimeoutRuleToo()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options => options.Resilience.FailSafeMaxDuration = TimeSpan.FromDays(1));
        builder.RegisterType<PlainQuotes>().As<IPlainQuotes>().EnableTagCaching();

        using var container = builder.Build();

        Assert.AreEqual(3, container.Resolve<IPlainQuotes>().WithoutFailSafe(3));
    }

    [TestMethod]
    [DataRow(-1.0)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void EagerRefreshThreshold_OutsideZeroToOne_ThrowsNamingTheRange(double threshold)
    {
        var options = new TagCacheResilienceOptions();

        var thrown = Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => options.EagerRefreshThreshold = threshold);

        Assert.Contains("between 0 and 1", thrown.Message);
    }

    [TestMethod]
    public void SoftTimeout_Zero_Throws() =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheResilienceOptions().SoftTimeout = TimeSpan.Zero);

    private static TagCacheConfigurationException BuildExpectingFailure(Action<ContainerBuilder> register)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        register(builder);
        return Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());
    }
}
