using TagCache.Testing;

namespace TagCache.Autofac.Tests.Resilience;

[TestClass]
public sealed class FailSafeTests
{
    private static readonly TimeSpan PastTimeout = TimeSpan.FromSeconds(61);

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_SourceFailsAfterExpiry_ReturnsLastGoodValue(CallShape shape)
    {
        using var sut = new QuoteContainer();
        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7));

        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7));
        Assert.AreEqual(2, sut.Source.Calls, "the expired entry's computation ran, and failed");
        Assert.AreEqual(1, sut.Statistics.FallbacksFailed);
        Assert.AreEqual(1, sut.Statistics.MissesAbsent, "the fallback is counted as such, not also as a miss");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_WithinThrottle_AnswersWithoutCallingSource(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(shape, 7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;
        await sut.Quotes.Get(shape, 7);

        sut.Time.Advance(TimeSpan.FromSeconds(9));
        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7));
        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7));

        Assert.AreEqual(2, sut.Source.Calls, "the throttle keeps the failing source from being called");
        Assert.AreEqual(2, sut.Statistics.FallbacksThrottled);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_AfterThrottle_TriesSourceAgainAndStoresItsAnswer(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(shape, 7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;
        await sut.Quotes.Get(shape, 7);

        sut.Time.Advance(TimeSpan.FromSeconds(11));
        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7), "still failing: the fallback answers again");
        Assert.AreEqual(3, sut.Source.Calls);

        sut.Time.Advance(TimeSpan.FromSeconds(11));
        sut.Source.Mode = SourceMode.Answer;
        Assert.AreEqual(2, await sut.Quotes.Get(shape, 7), "recovered: its answer replaces the fallback");
        Assert.AreEqual(2, await sut.Quotes.Get(shape, 7));
        Assert.AreEqual(4, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_LastGoodValueOlderThanMaximum_FailsWithSourceError(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(shape, 7);

        sut.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        sut.Source.Mode = SourceMode.Fail;

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(shape, 7));
        Assert.AreSame(sut.Source.Failure, thrown);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_ThrottledFallbackNeverOutlivesMaximum(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(shape, 7);
        sut.Time.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(2));
        sut.Source.Mode = SourceMode.Fail;
        Assert.AreEqual(1, await sut.Quotes.Get(shape, 7), "59 min 58 s old: still a fallback, throttled for 10 s");

        sut.Time.Advance(TimeSpan.FromSeconds(3));

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(shape, 7), "the throttle ends with the maximum age");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_SourceFailsAfterInvalidation_FailsInsteadOfServingInvalidatedValue(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(shape, 7);

        sut.Quotes.Change(7);
        sut.Source.Mode = SourceMode.Fail;

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(shape, 7));
        sut.Time.Advance(PastTimeout);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(shape, 7), "nor once it would have expired anyway");
        Assert.AreEqual(0, sut.Statistics.Fallbacks);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetEvenInvalidated_SourceFailsAfterInvalidation_ServesInvalidatedValueAsOptedIn(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetEvenInvalidated(shape, 7);

        sut.Quotes.Change(7);
        sut.Source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, await sut.Quotes.GetEvenInvalidated(shape, 7));
        Assert.AreEqual(1, await sut.Quotes.GetEvenInvalidated(shape, 7), "throttled");
        Assert.AreEqual(2, sut.Source.Calls);
        Assert.AreEqual(1, sut.Statistics.FallbacksFailed);
        Assert.AreEqual(1, sut.Statistics.FallbacksThrottled);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetEvenInvalidated_SourceAnswersAfterInvalidation_ServesTheNewValue(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetEvenInvalidated(shape, 7);

        sut.Quotes.Change(7);

        Assert.AreEqual(2, await sut.Quotes.GetEvenInvalidated(shape, 7), "the opt-in only matters when the source fails");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Get_FailureWithoutEarlierValue_FailsWithSourceError(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.Fail;

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(shape, 7));

        Assert.AreSame(sut.Source.Failure, thrown);
        Assert.AreEqual(1, sut.Statistics.MissesAbsent);
    }

    [TestMethod]
    public async Task Get_FallbackOfOneKey_NeverAnswersAnother()
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.Get(CallShape.Task, 7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.Get(CallShape.Task, 8));
    }

    [TestMethod]
    public async Task GetWithCacheSettings_CacheDeclaresFailSafe_MethodInheritsIt()
    {
        using var sut = new QuoteContainer();
        Assert.AreEqual(1, sut.Quotes.GetWithCacheSettings(7));
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, sut.Quotes.GetWithCacheSettings(7));
        Assert.AreEqual(1, sut.Caches.GetCurrentStatistics("resilient")!.FallbacksFailed);
        await Task.CompletedTask;
    }

    [TestMethod]
    public async Task Get_ManyCallersWhileSourceFails_OneCallAnswersThemAll()
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetAsync(7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(() => sut.Quotes.GetAsync(7))));

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 50).ToArray(), answers);
        Assert.AreEqual(2, sut.Source.Calls);
    }
}
