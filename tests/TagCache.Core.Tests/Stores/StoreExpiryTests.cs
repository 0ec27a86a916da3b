using System.Diagnostics;
using TagCache.Core.Tests.Support;
using TagCache.Stores;
using TagCache.Telemetry;

namespace TagCache.Core.Tests.Stores;

/// <summary>
/// On the system's time the store runs on the cheap tick clock; expiry must stay never late, and early by no more than
/// 2 × <see cref="TickClock.Lag"/>, for timeouts on both sides of <see cref="StoreExpiry.ExactBelow"/>, tagged or not.
/// </summary>
[TestClass]
public sealed class StoreExpiryTests
{
    private static readonly TimeSpan Early = TickClock.Lag * 2;

    [TestMethod]
    [DataRow(150, false)]
    [DataRow(150, true)]
    [DataRow(1100, false)]
    [DataRow(1100, true)]
    public void Set_OnSystemTime_ExpiresNeverLateAndAtMostTwoLagsEarly(int milliseconds, bool tagged)
    {
        // Every check is judged where it can be; a trial on a loaded machine may see no check on one side of a bound, so
        // trials repeat (each one able to fail) until one has seen both sides.
        var timeout = TimeSpan.FromMilliseconds(milliseconds);
        for (var trial = 1; trial <= 5; trial++)
        {
            var (present, absent) = Trial(timeout, tagged);
            if (present > 0 && absent > 0)
            {
                return;
            }
        }

        Assert.Fail("five trials on this machine never saw a check on each side of the bounds");
    }

    private static (int Present, int Absent) Trial(TimeSpan timeout, bool tagged)
    {
        using var sut = StoreFactory.Create(TimeProvider.System);
        var upper = Stopwatch.StartNew();
        sut.Set("key", 1, new TagCacheEntryOptions { Timeout = timeout, Tags = tagged ? ["tag"] : [] });
        var lower = Stopwatch.StartNew();

        // lower ≤ the entry's age ≤ upper: a check is judged only where the age is known to be on one side of a bound, so a
        // stalled thread makes a check inconclusive, never wrong.
        int presentChecks = 0, absentChecks = 0;
        while (lower.Elapsed < timeout + TimeSpan.FromMilliseconds(100) || (absentChecks == 0 && lower.Elapsed < timeout + TimeSpan.FromSeconds(5)))
        {
            var atLeast = lower.Elapsed;
            var found = sut.TryGet<int>("key", out _);
            var atMost = upper.Elapsed;
            if (atLeast >= timeout)
            {
                Assert.IsFalse(found, $"still served {atLeast.TotalMilliseconds} ms after a {timeout.TotalMilliseconds} ms timeout");
                absentChecks++;
            }
            else if (atMost < timeout - Early)
            {
                Assert.IsTrue(found, $"gone after at most {atMost.TotalMilliseconds} ms of a {timeout.TotalMilliseconds} ms timeout");
                presentChecks++;
            }

            Thread.Sleep(5);
        }

        return (presentChecks, absentChecks);
    }

    [TestMethod]
    public void Look_ShortTimeoutPassed_IsAbsentNotStale()
    {
        using var sut = StoreFactory.Create(TimeProvider.System);
        sut.Set("key", 1, new TagCacheEntryOptions { Timeout = TimeSpan.FromMilliseconds(30), Tags = ["tag"] });
        Thread.Sleep(60);

        Assert.AreEqual(Lookup.Absent, sut.Look("key", out _));
    }

    [TestMethod]
    public void Look_ShortTimeoutEntryInvalidated_IsStale()
    {
        using var sut = StoreFactory.Create(TimeProvider.System);
        sut.Set("key", 1, new TagCacheEntryOptions { Timeout = TimeSpan.FromMilliseconds(800), Tags = ["tag"] });
        sut.InvalidateTags("tag");

        Assert.AreEqual(Lookup.Stale, sut.Look("key", out _));
    }

    [TestMethod]
    public void TickClock_TimeBetweenTwoReadings_IsWithinItsLagOfRealTime()
    {
        // Expiry is relative (the memory cache subtracts two readings of one clock), so the difference is what must hold.
        var clock = new TickClock();
        for (var i = 0; i < 100; i++)
        {
            var outer = Stopwatch.StartNew();
            var first = clock.UtcNow;
            var inner = Stopwatch.StartNew();
            Thread.Sleep(i % 7);
            inner.Stop();
            var measured = clock.UtcNow - first;
            outer.Stop();

            Assert.IsLessThan(outer.Elapsed + TickClock.Lag, measured, "the clock ran ahead by more than its lag");
            Assert.IsGreaterThan(inner.Elapsed - TickClock.Lag, measured, "the clock fell behind by more than its lag");
        }
    }
}
