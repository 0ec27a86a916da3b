using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using TagCache.Core.Tests.Stores;
using TagCache.Testing;

namespace TagCache.Core.Tests.Telemetry;

/// <summary>
/// What fallbacks and refreshes report: one request each, as <c>tagcache.result=fallback</c> with its reason; refreshes by
/// outcome; a timeout on the computation's span; a Warning log without the key. Run apart from other tests, whose
/// providers use an activity source of the same name.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ResilienceTelemetryTests
{
    private readonly FakeTimeProvider _time = new();

    [TestMethod]
    public void GetOrSet_FallbackForFailure_CountsOneRequestAsFallbackFailedThenThrottled()
    {
        using var observed = new ObservedCaches(time: _time);
        var options = FailSafe();
        observed.Cache.GetOrSet("quote", () => 1, options);
        _time.Advance(TimeSpan.FromSeconds(61));

        observed.Cache.GetOrSet<int>("quote", () => throw new InvalidOperationException("down"), options);
        observed.Cache.GetOrSet<int>("quote", () => throw new InvalidOperationException("down"), options);

        Assert.AreEqual(3, observed.Requests(), "one count per request");
        Assert.AreEqual(1, observed.Requests(("tagcache.result", "miss")));
        Assert.AreEqual(1, observed.Requests(("tagcache.result", "fallback"), ("tagcache.fallback_reason", "failed")));
        Assert.AreEqual(1, observed.Requests(("tagcache.result", "fallback"), ("tagcache.fallback_reason", "throttled")));
        Assert.AreEqual(1, observed.Computations("failed"));
    }

    [TestMethod]
    public void GetOrSet_FallbackForFailure_LogsWarningWithoutTheKey()
    {
        using var observed = new ObservedCaches(time: _time);
        var options = FailSafe();
        observed.Cache.GetOrSet("secret-key", () => 1, options);
        _time.Advance(TimeSpan.FromSeconds(61));

        observed.Cache.GetOrSet<int>("secret-key", () => throw new InvalidOperationException("down"), options);

        var log = observed.LogsWithId(14).Single();
        Assert.AreEqual(Microsoft.Extensions.Logging.LogLevel.Warning, log.Level);
        StringAssert.Contains(log.Message, "a direct call in cache 'default' failed; its last good value (stored 61 s ago) answers instead, for up to 30 s");
        Assert.DoesNotContain("secret-key", log.Message);
        Assert.IsInstanceOfType<InvalidOperationException>(log.Exception);
    }

    [TestMethod]
    public async Task GetOrSetAsync_SoftTimeout_CountsFallbackTimedOutAndTagsTheSpan()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches(time: _time);
        var options = FailSafe();
        options.Resilience.SoftTimeout = TimeSpan.FromMilliseconds(100);
        await observed.Cache.GetOrSetAsync("quote", _ => ValueTask.FromResult(1), options);
        _time.Advance(TimeSpan.FromSeconds(61));
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = observed.Cache.GetOrSetAsync("quote", _ => new ValueTask<int>(slow.Task), options).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.AreEqual(1, await call.WaitAsync(TimeSpan.FromSeconds(30)));
        slow.SetResult(2);
        await FakeTimeWaits.Until(() => recorder.Of("tagcache.compute", "default").Count == 2);

        Assert.AreEqual(1, observed.Requests(("tagcache.result", "fallback"), ("tagcache.fallback_reason", "timed_out")));
        var late = recorder.Of("tagcache.compute", "default")[1];
        Assert.AreEqual("soft", late.GetTagItem("tagcache.timeout"));
        Assert.AreEqual("stored", late.GetTagItem("tagcache.outcome"));
        Assert.IsNull(recorder.Of("tagcache.compute", "default")[0].GetTagItem("tagcache.timeout"));
    }

    [TestMethod]
    public async Task GetOrSetAsync_HardTimeoutWithoutFallback_TagsTheSpanHard()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches(time: _time);
        var options = new TagCacheEntryOptions();
        options.Resilience.HardTimeout = TimeSpan.FromSeconds(1);
        var slow = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = observed.Cache.GetOrSetAsync("quote", _ => new ValueTask<int>(slow.Task), options).AsTask();
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsExactlyAsync<TimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        slow.SetResult(2);
        await FakeTimeWaits.Until(() => recorder.Of("tagcache.compute", "default").Count == 1);

        Assert.AreEqual("hard", recorder.Of("tagcache.compute", "default")[0].GetTagItem("tagcache.timeout"));
        Assert.AreEqual(1, observed.Requests(("tagcache.result", "miss")), "a timed-out request with no fallback is a miss");
        Assert.AreEqual(1, observed.LogsWithId(15).Count);
    }

    [TestMethod]
    public async Task GetOrSetAsync_EagerRefresh_CountsRefreshByOutcomeAndTheHitAsHit()
    {
        using var observed = new ObservedCaches(o => o.TrackStatistics = true, _time);
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.EagerRefreshThreshold = 0.5;
        await observed.Cache.GetOrSetAsync("ok", _ => ValueTask.FromResult(1), options);
        await observed.Cache.GetOrSetAsync("failing", _ => ValueTask.FromResult(1), options);
        _time.Advance(TimeSpan.FromSeconds(31));

        await observed.Cache.GetOrSetAsync("ok", _ => ValueTask.FromResult(2), options);
        await observed.Cache.GetOrSetAsync<int>("failing", _ => throw new InvalidOperationException("down"), options);
        await FakeTimeWaits.Until(() => observed.Recorder.Sum("tagcache.refreshes") == 2);

        Assert.AreEqual(1, observed.Recorder.Sum("tagcache.refreshes", ("tagcache.outcome", "stored")));
        Assert.AreEqual(1, observed.Recorder.Sum("tagcache.refreshes", ("tagcache.outcome", "failed")));
        Assert.AreEqual(2, observed.Requests(("tagcache.result", "hit")));
        Assert.AreEqual(1, observed.LogsWithId(16).Count);
        var statistics = observed.Provider.GetCurrentStatistics()!;
        Assert.AreEqual(2, statistics.Refreshes);
        Assert.AreEqual(1, statistics.RefreshesFailed);
    }

    private static TagCacheEntryOptions FailSafe()
    {
        var options = new TagCacheEntryOptions { Timeout = TimeSpan.FromMinutes(1) };
        options.Resilience.FailSafeMaxDuration = TimeSpan.FromHours(1);
        return options;
    }
}
