using System.Diagnostics.Metrics;
using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests.Resilience;

/// <summary>Intercepted calls answered by a fallback are counted once, as such, with the method; refreshes by outcome.</summary>
[TestClass]
public sealed class ResilienceMetricsTests
{
    private const string Get = "IQuoteService.Get";

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_FallbackThenThrottled_EachRequestCountedOnceWithItsReason(CallShape shape)
    {
        using var metrics = new TagCacheMetrics();
        using var sut = new QuoteContainer(register: b => b.RegisterInstance(metrics.Factory).As<IMeterFactory>());
        var method = shape switch { CallShape.Sync => Get, CallShape.Task => Get + "Async", _ => Get + "ValueAsync" };
        await sut.Quotes.Get(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(61));
        sut.Source.Mode = SourceMode.Fail;

        await sut.Quotes.Get(shape, 7);
        await sut.Quotes.Get(shape, 7);

        Assert.AreEqual(3, metrics.Sum("tagcache.requests", ("tagcache.method", method)));
        Assert.AreEqual(1, metrics.Sum("tagcache.requests", ("tagcache.method", method), ("tagcache.result", "fallback"), ("tagcache.fallback_reason", "failed")));
        Assert.AreEqual(1, metrics.Sum("tagcache.requests", ("tagcache.method", method), ("tagcache.result", "fallback"), ("tagcache.fallback_reason", "throttled")));
        Assert.AreEqual(1, metrics.Sum("tagcache.computations", ("tagcache.method", method), ("tagcache.outcome", "failed")));
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetPatiently_SoftTimeout_CountedAsTimedOut(CallShape shape)
    {
        using var metrics = new TagCacheMetrics();
        using var sut = new QuoteContainer(register: b => b.RegisterInstance(metrics.Factory).As<IMeterFactory>());
        await sut.Quotes.GetPatiently(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(61));
        sut.Source.Mode = SourceMode.Hang;

        await sut.Time.AdvanceUntilDone(sut.Quotes.GetPatiently(shape, 7), TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));

        Assert.AreEqual(1, metrics.Sum("tagcache.requests", ("tagcache.result", "fallback"), ("tagcache.fallback_reason", "timed_out")));
        Assert.AreEqual(2, metrics.Sum("tagcache.requests"));
        sut.Source.Release();
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_Refresh_CountedWithItsOutcome(CallShape shape)
    {
        using var metrics = new TagCacheMetrics();
        using var sut = new QuoteContainer(register: b => b.RegisterInstance(metrics.Factory).As<IMeterFactory>());
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(31));

        await sut.Quotes.GetFresh(shape, 7);

        await FakeTimeDriving.Until(() => metrics.Sum("tagcache.refreshes", ("tagcache.outcome", "stored")) == 1, "the refresh to be counted");
        Assert.AreEqual(1, metrics.Sum("tagcache.requests", ("tagcache.result", "hit")));
    }
}
