using TagCache.Tags;

namespace TagCache.Core.Tests.Tags;

/// <summary>The ledger that judges a value stamped on any node: by tag positions after the stamp, its horizon, its log and this node's own pending invalidations.</summary>
[TestClass]
public sealed class InvalidationLedgerTests
{
    private static readonly Guid Log = Guid.NewGuid();

    [TestMethod]
    public void Judge_EveryOrderOfStampAndInvalidation_RefusesExactlyWhenATagMovedAfterTheStamp()
    {
        // Exhaustive over small positions: a value stamped at s with tags {a, b} against invalidations of a at p and b at q.
        for (var s = 0; s < 6; s++)
        {
            for (var p = 0; p < 6; p++)
            {
                for (var q = 0; q < 6; q++)
                {
                    var ledger = new InvalidationLedger(Log, horizon: 0);
                    if (p > 0)
                    {
                        ledger.Record("a", p);
                    }

                    if (q > 0)
                    {
                        ledger.Record("b", q);
                    }

                    var expected = p > s || q > s ? StampRejection.Invalidated : (StampRejection?)null;
                    Assert.AreEqual(expected, ledger.Judge(new LogStamp(Log, s), ["a", "b"]), $"stamp {s}, a at {p}, b at {q}");
                }
            }
        }
    }

    [TestMethod]
    public void Judge_StampBelowTheHorizonOrOfAnotherLog_Refused()
    {
        var ledger = new InvalidationLedger(Log, horizon: 10);

        Assert.AreEqual(StampRejection.TooOld, ledger.Judge(new LogStamp(Log, 9), ["a"]));
        Assert.IsNull(ledger.Judge(new LogStamp(Log, 10), ["a"]));
        Assert.AreEqual(StampRejection.OtherLog, ledger.Judge(new LogStamp(Guid.NewGuid(), 50), ["a"]));
    }

    [TestMethod]
    public void Judge_OwnInvalidationUnderWay_RefusedUntilItsPositionIsKnown()
    {
        var ledger = new InvalidationLedger(Log, horizon: 0);
        ledger.BeginOwn(["a"]);
        ledger.BeginOwn(["a"]);

        Assert.AreEqual(StampRejection.Invalidated, ledger.Judge(new LogStamp(Log, 100), ["a"]));
        ledger.EndOwn(["a"], [5]);
        Assert.AreEqual(StampRejection.Invalidated, ledger.Judge(new LogStamp(Log, 100), ["a"]), "the second is still under way");
        ledger.EndOwn(["a"], [6]);

        Assert.IsNull(ledger.Judge(new LogStamp(Log, 100), ["a"]));
        Assert.AreEqual(StampRejection.Invalidated, ledger.Judge(new LogStamp(Log, 5), ["a"]));
    }

    [TestMethod]
    public void EndOwn_WriteFailed_TagRefusesEveryStamp()
    {
        var ledger = new InvalidationLedger(Log, horizon: 0);
        ledger.BeginOwn(["a"]);
        ledger.EndOwn(["a"], positions: null);

        Assert.AreEqual(StampRejection.Invalidated, ledger.Judge(new LogStamp(Log, long.MaxValue - 1), ["a"]));
    }

    [TestMethod]
    public void ForgetThrough_RaisesTheHorizonAndDropsOlderPositions()
    {
        var ledger = new InvalidationLedger(Log, horizon: 0);
        ledger.Record("a", 3);
        ledger.Record("b", 8);

        ledger.ForgetThrough(5);

        Assert.AreEqual(1, ledger.Count);
        Assert.AreEqual(StampRejection.TooOld, ledger.Judge(new LogStamp(Log, 4), ["a"]));
        Assert.IsNull(ledger.Judge(new LogStamp(Log, 5), ["a"]));
        Assert.AreEqual(StampRejection.Invalidated, ledger.Judge(new LogStamp(Log, 5), ["b"]));
    }

    [TestMethod]
    public void Record_PastItsCapacity_ForgetsTheOlderHalfAndStaysSafe()
    {
        var ledger = new InvalidationLedger(Log, horizon: 0, capacity: 100);
        for (var i = 1; i <= 1000; i++)
        {
            ledger.Record("t" + i, i);
        }

        Assert.IsLessThanOrEqualTo(101, ledger.Count);
        for (var stamp = 0; stamp <= 1000; stamp += 7)
        {
            for (var tag = 1; tag <= 1000; tag += 13)
            {
                // Forgetting may refuse more (too old), never accept a value a remembered invalidation makes stale.
                var verdict = ledger.Judge(new LogStamp(Log, stamp), ["t" + tag]);
                if (tag > stamp)
                {
                    Assert.IsNotNull(verdict, $"t{tag} invalidated at {tag} after stamp {stamp}");
                }
            }
        }
    }

    [TestMethod]
    public async Task Judge_RacingReset_NeverAcceptsAStampTheResetForgot()
    {
        var ledger = new InvalidationLedger(Log, horizon: 0);
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var position = 0L;
        var recorded = 0L;
        var resets = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var next = ++position;
                ledger.Record("a", next);
                Volatile.Write(ref recorded, next);
                ledger.Reset(Log, next);
            }
        });

        var accepted = 0;
        while (!resets.IsCompleted)
        {
            // A stamp before an invalidation of "a" that was recorded is refused, by the record or by the horizon that replaced it.
            var known = Volatile.Read(ref recorded);
            if (ledger.Judge(new LogStamp(Log, known - 1), ["a"]) is null)
            {
                accepted++;
            }
        }

        await resets;
        Assert.AreEqual(0, accepted);
    }
}
