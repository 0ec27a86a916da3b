using TagCache.Testing;

namespace TagCache.Autofac.Tests.Resilience;

[TestClass]
public sealed class HedgingTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(10);

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetHedged_SlowCallWithoutFallback_SecondCallAnswersAndIsStored(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.HangOnce;

        var answer = await sut.Time.AdvanceUntilDone(sut.Quotes.GetHedged(shape, 7), Step, TimeSpan.FromMinutes(1));

        Assert.AreEqual(1, answer, "the hedge's answer: the first call still hangs, so the hedge took the first number");
        Assert.AreEqual(2, sut.Source.Calls);
        Assert.AreEqual(1, sut.Statistics.Hedges);
        await FakeTimeDriving.Until(() => sut.Source.Tokens[0].IsCancellationRequested, "the slow call to be cancelled, nobody waiting for it");
        Assert.AreEqual(1, await sut.Quotes.GetHedged(shape, 7), "the hedge's value was stored");
        Assert.AreEqual(2, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetHedged_InvalidatedAndSlow_HedgeAnswersWithAFreshValueNeverTheInvalidatedOne(CallShape shape)
    {
        using var sut = new QuoteContainer();
        Assert.AreEqual(1, await sut.Quotes.GetHedged(shape, 7));
        sut.Quotes.Change(7);
        sut.Source.Mode = SourceMode.HangOnce;

        var answer = await sut.Time.AdvanceUntilDone(sut.Quotes.GetHedged(shape, 7), Step, TimeSpan.FromMinutes(1));

        Assert.AreEqual(2, answer);
        Assert.AreEqual(3, sut.Source.Calls);
    }

    [TestMethod]
    [DataRow(CallShape.Sync)]
    [DataRow(CallShape.Task)]
    [DataRow(CallShape.ValueTask)]
    public async Task GetHedged_BothCallsSlow_HedgeIsNotHedgedAgainAndHardTimeoutEnds(CallShape shape)
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.Hang;

        await Assert.ThrowsExactlyAsync<TimeoutException>(() => sut.Time.AdvanceUntilDone(sut.Quotes.GetHedged(shape, 7), Step, TimeSpan.FromMinutes(1)));

        Assert.AreEqual(2, sut.Source.Calls, "one hedge per computation");
        sut.Source.Release();
    }

    [TestMethod]
    public async Task GetHedged_ManyCallersOnASlowCall_StartOneHedge()
    {
        using var sut = new QuoteContainer();
        sut.Source.Mode = SourceMode.HangOnce;

        var calls = Enumerable.Range(0, 20).Select(_ => sut.Quotes.GetHedgedAsync(7)).ToArray();
        var answers = await sut.Time.AdvanceUntilDone(Task.WhenAll(calls), Step, TimeSpan.FromMinutes(1));

        CollectionAssert.AreEqual(Enumerable.Repeat(1, 20).ToArray(), answers);
        Assert.AreEqual(2, sut.Source.Calls);
    }
}
