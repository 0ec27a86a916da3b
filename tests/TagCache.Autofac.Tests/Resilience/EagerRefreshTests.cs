using TagCache.Testing;

namespace TagCache.Autofac.Tests.Resilience;

[TestClass]
public sealed class EagerRefreshTests
{
    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_HitPastThreshold_AnswersAtOnceAndRefreshesInBackground(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(31));
        sut.Source.Mode = SourceMode.Hang;

        Assert.AreEqual(1, await sut.Quotes.GetFresh(shape, 7), "the current value, while the source hangs");
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 1, "the refresh to start");
        Assert.AreEqual(1, sut.Statistics.Hits);

        sut.Source.Mode = SourceMode.Answer;
        sut.Source.Release();
        await FakeTimeDriving.Until(() => sut.Quotes.GetFresh(shape, 7).Result == 2, "the refreshed value to be stored");
        Assert.AreEqual(2, sut.Source.Calls);
        Assert.AreEqual(1, sut.Statistics.Refreshes);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_ManyHitsPastThreshold_StartOneRefresh(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(31));
        sut.Source.Mode = SourceMode.Hang;

        var answers = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => sut.Quotes.GetFresh(shape, 7)));

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 40).ToArray(), answers);
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 1, "the refresh to start");
        Assert.AreEqual(2, sut.Source.Calls);
        sut.Source.Release();
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_HitBeforeThreshold_DoesNotRefresh(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(29));

        Assert.AreEqual(1, await sut.Quotes.GetFresh(shape, 7));
        await Task.Delay(50);

        Assert.AreEqual(1, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_RefreshFails_CurrentValueAnswersUntilItExpires(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(31));
        sut.Source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, await sut.Quotes.GetFresh(shape, 7));
        await FakeTimeDriving.Until(() => sut.Statistics.RefreshesFailed == 1, "the refresh to fail");
        Assert.AreEqual(1, await sut.Quotes.GetFresh(shape, 7), "the entry is still valid");
        Assert.AreEqual(2, sut.Source.Calls, "one refresh per entry");

        sut.Time.Advance(TimeSpan.FromSeconds(30));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => sut.Quotes.GetFresh(shape, 7), "expired, and no fail-safe");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetFresh_InvalidatedWhileRefreshing_RefreshIsNotStored(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetFresh(shape, 7);
        sut.Time.Advance(TimeSpan.FromSeconds(31));
        sut.Source.Mode = SourceMode.Hang;
        await sut.Quotes.GetFresh(shape, 7);
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 1, "the refresh to start");

        sut.Quotes.Change(7);
        sut.Source.Release();
        await FakeTimeDriving.Until(() => sut.Statistics.Refreshes == 1, "the refresh to end");
        sut.Source.Mode = SourceMode.Answer;

        Assert.AreEqual(3, await sut.Quotes.GetFresh(shape, 7), "the refresh read data from before the invalidation: computed again");
        Assert.AreEqual(1, sut.Statistics.ComputationsDiscarded);
    }
}
