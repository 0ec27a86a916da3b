using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>Resilience settings through Microsoft DI's proxies: the same behaviour as through Autofac's.</summary>
[TestClass]
public sealed class ResilienceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly QuoteSource _source = new();

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_SourceFailsAfterExpiry_ReturnsLastGoodValue(CallShape shape)
    {
        using var provider = Build();
        var quotes = provider.GetRequiredService<IQuoteService>();
        await quotes.Get(shape, 7);
        _time.Advance(TimeSpan.FromSeconds(61));
        _source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, await quotes.Get(shape, 7));
        Assert.AreEqual(2, _source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetOrTimeOut_SlowSource_ThrowsTimeoutNamingMethod(CallShape shape)
    {
        using var provider = Build();
        var quotes = provider.GetRequiredService<IQuoteService>();
        _source.Mode = SourceMode.Hang;

        var thrown = await Assert.ThrowsExactlyAsync<TimeoutException>(() => _time.AdvanceUntilDone(quotes.GetOrTimeOut(shape, 7), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)));

        StringAssert.Contains(thrown.Message, "IQuoteService.GetOrTimeOut");
        _source.Release();
    }

    [TestMethod]
    public void AddTagCaching_ContradictorySettings_FailsAtRegistration()
    {
        var services = new ServiceCollection();
        services.AddTagCache();
        services.AddSingleton<IImpatientQuotes, ImpatientQuotes>();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IImpatientQuotes>());

        Assert.Contains("IImpatientQuotes.Get:", thrown.Message);
        Assert.Contains("SoftTimeout (2 s) is not shorter than HardTimeout (1 s)", thrown.Message);
    }

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddTagCache(options => options.AddCache("resilient", cache =>
        {
            cache.DefaultTimeout = TimeSpan.FromMinutes(1);
            cache.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
        }));
        services.AddSingleton(_source);
        services.AddSingleton<IQuoteService, QuoteService>();
        services.AddTagCaching<IQuoteService>();
        return services.BuildServiceProvider();
    }
}

public interface IImpatientQuotes
{
    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 2000, HardTimeoutMilliseconds = 1000)]
    int Get(int id);
}

public sealed class ImpatientQuotes : IImpatientQuotes
{
    public int Get(int id) => id;
}
