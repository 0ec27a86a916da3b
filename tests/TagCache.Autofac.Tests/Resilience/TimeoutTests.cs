using TagCache.Testing;

namespace TagCache.Autofac.Tests.Resilience;

[TestClass]
public sealed class TimeoutTests
{
    private static readonly TimeSpan PastTimeout = TimeSpan.FromSeconds(61);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetPatiently_SlowSourceWithFallback_AnswersWithFallbackAndStoresLateAnswer(CallShape shape)
    {
        using var sut = new QuoteContainer();
        Assert.AreEqual(1, await sut.Quotes.GetPatiently(shape, 7));
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Hang;

        var answer = await sut.Time.AdvanceUntilDone(sut.Quotes.GetPatiently(shape, 7), Step, TimeSpan.FromMinutes(1));

        Assert.AreEqual(1, answer, "the fallback, at the timeout");
        Assert.AreEqual(1, sut.Source.Hanging, "the computation goes on in the background");
        Assert.AreEqual(1, await sut.Quotes.GetPatiently(shape, 7), "meanwhile the fallback answers at once");
        Assert.AreEqual(2, sut.Source.Calls);

        sut.Source.Mode = SourceMode.Answer;
        sut.Source.Release();
        await FakeTimeDriving.Until(() => sut.Quotes.GetPatiently(shape, 7).Result == 2, "the late answer to be stored");
        Assert.AreEqual(2, sut.Source.Calls, "the late answer was stored: nothing computed it again");
        Assert.AreEqual(1, sut.Statistics.FallbacksTimedOut);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetPatiently_SlowSourceWithoutFallback_WaitsPastSoftTimeoutThenFailsAtHardTimeout(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.Hang;

        var call = sut.Quotes.GetPatiently(shape, 7);
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 1, "the computation to start");
        for (var i = 0; i < 50; i++)
        {
            sut.Time.Advance(Step);
            await Task.Delay(2);
        }

        Assert.IsFalse(call.IsCompleted, "no fallback: the soft timeout does not end the wait");

        var thrown = await Assert.ThrowsExactlyAsync<TimeoutException>(() => sut.Time.AdvanceUntilDone(call, Step, TimeSpan.FromMinutes(1)));
        StringAssert.Contains(thrown.Message, "IQuoteService.GetPatiently");
        StringAssert.Contains(thrown.Message, "hard timeout of 1 s");

        sut.Source.Mode = SourceMode.Answer;
        sut.Source.Release();
        await FakeTimeDriving.Until(() => sut.Quotes.GetPatiently(shape, 7).Result == 1, "the late answer to be stored");
        Assert.AreEqual(1, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetOrTimeOut_SlowSource_ThrowsTimeoutNamingMethodAndStoresLateAnswer(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.Hang;

        var thrown = await Assert.ThrowsExactlyAsync<TimeoutException>(() => sut.Time.AdvanceUntilDone(sut.Quotes.GetOrTimeOut(shape, 7), Step, TimeSpan.FromMinutes(1)));

        StringAssert.Contains(thrown.Message, "IQuoteService.GetOrTimeOut");
        Assert.AreEqual(1, sut.Source.Hanging);
        sut.Source.Mode = SourceMode.Answer;
        sut.Source.Release();
        await FakeTimeDriving.Until(() => sut.Quotes.GetOrTimeOut(shape, 7).Result == 1, "the late answer to be stored");
        Assert.AreEqual(1, sut.Source.Calls, "a caller that timed out does not run the method a second time");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetOrTimeOut_SourceWithinTimeout_Answers(CallShape shape)
    {
        using var sut = new QuoteContainer();

        Assert.AreEqual(1, await sut.Quotes.GetOrTimeOut(shape, 7));
        Assert.AreEqual(1, await sut.Quotes.GetOrTimeOut(shape, 7));
        Assert.AreEqual(1, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetPatiently_SourceFailsWhileOthersWait_TheyGetTheFallback(CallShape shape)
    {
        using var sut = new QuoteContainer();
        await sut.Quotes.GetPatiently(shape, 7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Fail;

        Assert.AreEqual(1, await sut.Quotes.GetPatiently(shape, 7));
        Assert.AreEqual(1, sut.Statistics.FallbacksFailed);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetPatiently_CallerCancelsWhileWaiting_IsCancelledNotTimedOut(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.Hang;
        using var cancellation = new CancellationTokenSource();

        var call = sut.Quotes.GetPatiently(shape, 7, cancellation.Token);
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 1, "the computation to start");
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        await FakeTimeDriving.Until(() => sut.Source.Tokens[0].IsCancellationRequested, "the computation to be cancelled, its only caller gone");
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task Dispose_ComputationGoesOnAfterTimeout_IsCancelledWithItsContainer(CallShape shape)
    {
        var sut = new QuoteContainer();
        await sut.Quotes.GetPatiently(shape, 7);
        sut.Time.Advance(PastTimeout);
        sut.Source.Mode = SourceMode.Hang;
        await sut.Time.AdvanceUntilDone(sut.Quotes.GetPatiently(shape, 7), Step, TimeSpan.FromMinutes(1));
        var background = sut.Source.Tokens[^1];
        Assert.IsFalse(background.IsCancellationRequested, "the caller that timed out left it running");

        sut.Dispose();

        Assert.IsTrue(background.IsCancellationRequested, "background work ends with its container");
        await FakeTimeDriving.Until(() => sut.Source.Hanging == 0, "the computation to stop");
    }
}
