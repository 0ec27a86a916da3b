using Microsoft.Extensions.Logging;

namespace TagCache.Core.Tests.Telemetry;

/// <summary>What direct calls of <see cref="ITagCache"/> report on the <c>TagCache</c> meter: each instrument, each tag value.</summary>
[TestClass]
public sealed class StoreMetricsTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void TryGet_NoEntry_CountsMissAbsent()
    {
        using var observed = new ObservedCaches();

        observed.Cache.TryGet<int>("k", out _);

        var request = observed.Recorder.Of("tagcache.requests").Single();
        Assert.IsTrue(request.Has(("tagcache.cache", "default"), ("tagcache.result", "miss"), ("tagcache.miss_reason", "absent"), ("tagcache.method", null)));
        Assert.AreEqual(1, request.Value);
    }

    [TestMethod]
    public void TryGet_StoredEntry_CountsHitWithoutReasonOrMethod()
    {
        using var observed = new ObservedCaches();
        observed.Cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["t"] });

        observed.Cache.TryGet<int>("k", out _);

        var request = observed.Recorder.Of("tagcache.requests").Single();
        Assert.IsTrue(request.Has(("tagcache.cache", "default"), ("tagcache.result", "hit"), ("tagcache.miss_reason", null), ("tagcache.method", null)));
    }

    [TestMethod]
    public void TryGet_EntryWhoseTagMoved_CountsMissStaleThenAbsent()
    {
        using var observed = new ObservedCaches();
        observed.Cache.Set("k", 1, new TagCacheEntryOptions { Tags = ["t"] });
        observed.Cache.InvalidateTags("t");

        observed.Cache.TryGet<int>("k", out _);
        observed.Cache.TryGet<int>("k", out _);

        // The stale entry is freed by the read that found it, so the next read finds nothing.
        Assert.AreEqual(1, observed.Requests(("tagcache.miss_reason", "stale")));
        Assert.AreEqual(1, observed.Requests(("tagcache.miss_reason", "absent")));
    }

    [TestMethod]
    public async Task GetOrSet_MissThenHit_CountsOneReadEachAndOneStoredComputationWithItsDuration()
    {
        using var observed = new ObservedCaches();

        observed.Cache.GetOrSet("sync", () => 1, new TagCacheEntryOptions { Tags = ["t"] });
        observed.Cache.GetOrSet("sync", () => 2);
        await observed.Cache.GetOrSetAsync("async", _ => ValueTask.FromResult(1));
        await observed.Cache.GetOrSetAsync("async", _ => ValueTask.FromResult(2));

        Assert.AreEqual(2, observed.Requests(("tagcache.result", "miss"), ("tagcache.miss_reason", "absent")));
        Assert.AreEqual(2, observed.Requests(("tagcache.result", "hit")));
        Assert.AreEqual(4, observed.Recorder.Of("tagcache.requests").Count, "one measurement per read, however many lookups the read made");
        Assert.AreEqual(2, observed.Computations("stored"));
        var durations = observed.Recorder.Of("tagcache.computation.duration");
        Assert.AreEqual(2, durations.Count);
        Assert.IsTrue(durations.All(d => d.Value >= 0 && d.Has(("tagcache.cache", "default"), ("tagcache.outcome", null))));
    }

    [TestMethod]
    public void GetOrSet_TagInvalidatedWhileComputing_CountsDiscardedAndLogsWhyWithoutTheKey()
    {
        using var observed = new ObservedCaches();

        var value = observed.Cache.GetOrSet(
            "secret-key",
            () =>
            {
                observed.Cache.InvalidateTags("t");
                return 1;
            },
            new TagCacheEntryOptions { Tags = ["t"] });

        Assert.AreEqual(1, value);
        Assert.AreEqual(1, observed.Computations("discarded"));
        Assert.AreEqual(0, observed.Computations("stored"));
        var log = observed.LogsWithId(11).Single();
        Assert.AreEqual(LogLevel.Debug, log.Level);
        Assert.AreEqual("TagCache", log.Category);
        StringAssert.Contains(log.Message, "a tag it depends on was invalidated while it ran");
        Assert.IsFalse(log.Message.Contains("secret-key", StringComparison.Ordinal), log.Message);
    }

    [TestMethod]
    public void GetOrSet_KeyWrittenWhileComputing_CountsDiscardedAndSaysSo()
    {
        using var observed = new ObservedCaches(o => o.Telemetry.IncludeSensitiveData = true);

        observed.Cache.GetOrSet(
            "k",
            () =>
            {
                observed.Cache.Set("k", 2);
                return 1;
            });

        Assert.AreEqual(1, observed.Computations("discarded"));
        var log = observed.LogsWithId(11).Single();
        StringAssert.Contains(log.Message, "a Set or Remove of its key returned while it ran");
        StringAssert.Contains(log.Message, "key 'k'");
    }

    [TestMethod]
    public async Task GetOrSet_FactoryFails_CountsFailedAndCancelledApart()
    {
        using var observed = new ObservedCaches();

        Assert.ThrowsExactly<InvalidOperationException>(() => observed.Cache.GetOrSet<int>("a", () => throw new InvalidOperationException()));
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await observed.Cache.GetOrSetAsync<int>("b", _ => throw new InvalidOperationException()));
        await Assert.ThrowsAsync<OperationCanceledException>(async () => await observed.Cache.GetOrSetAsync<int>("c", _ => ValueTask.FromCanceled<int>(new CancellationToken(canceled: true))));

        Assert.AreEqual(2, observed.Computations("failed"));
        Assert.AreEqual(1, observed.Computations("cancelled"));
        Assert.AreEqual(3, observed.Recorder.Of("tagcache.computation.duration").Count);
    }

    [TestMethod]
    public async Task GetOrSetAsync_SecondCallerWhileComputing_CountsOneJoinAndOneComputation()
    {
        using var observed = new ObservedCaches();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = observed.Cache.GetOrSetAsync("k", async _ =>
        {
            started.SetResult();
            return await release.Task;
        }).AsTask();
        await started.Task.WaitAsync(Guard);
        var second = observed.Cache.GetOrSetAsync("k", _ => ValueTask.FromResult(2)).AsTask();
        release.SetResult(1);

        CollectionAssert.AreEqual(new[] { 1, 1 }, await Task.WhenAll(first, second).WaitAsync(Guard));
        var join = observed.Recorder.Of("tagcache.joins").Single();
        Assert.IsTrue(join.Has(("tagcache.cache", "default"), ("tagcache.method", null)));
        Assert.AreEqual(1, join.Value);
        Assert.AreEqual(1, observed.Computations("stored"));
        Assert.AreEqual(2, observed.Requests(("tagcache.miss_reason", "absent")));
    }

    [TestMethod]
    public async Task InvalidateTags_Directly_CountsEachTagAsManual()
    {
        using var observed = new ObservedCaches();

        observed.Cache.InvalidateTags("a", "b");
        await observed.Cache.InvalidateTagsAsync(["c"]);

        Assert.AreEqual(3, observed.Recorder.Sum("tagcache.invalidations", ("tagcache.cache", "default"), ("tagcache.origin", "manual")));
        Assert.AreEqual(3, observed.Recorder.Sum("tagcache.invalidations"));
    }

    [TestMethod]
    public async Task Sweep_InvalidateOnRule_CountsTagsAsEventInTheRulesCache()
    {
        using var observed = new ObservedCaches(o => o
            .AddCache("pages")
            .InvalidateOn<Renamed>(["Item_{Id}", "List"], "pages"));

        observed.Provider.Sweeper.Sweep(new Renamed(1));
        await observed.Provider.Sweeper.SweepAsync(new Renamed(2));

        Assert.AreEqual(4, observed.Recorder.Sum("tagcache.invalidations", ("tagcache.cache", "pages"), ("tagcache.origin", "event")));
        Assert.AreEqual(4, observed.Recorder.Sum("tagcache.invalidations"));
    }

    [TestMethod]
    public void InvalidateTags_SensitiveDataOn_LogsDebugWithTheTagsUpToTheLimit()
    {
        using var observed = new ObservedCaches(o =>
        {
            o.Telemetry.IncludeSensitiveData = true;
            o.Telemetry.MaxRecordedTags = 2;
        });

        observed.Cache.InvalidateTags("a", "b");
        observed.Cache.InvalidateTags("c", "d", "e");

        var logs = observed.LogsWithId(10);
        Assert.AreEqual(2, logs.Count);
        Assert.IsTrue(logs.All(l => l.Level == LogLevel.Debug));
        Assert.AreEqual("TagCache: invalidated 2 tags in cache 'default' (manual): a, b", logs[0].Message);
        StringAssert.StartsWith(logs[1].Message, "TagCache: invalidated 3 tags in cache 'default' (manual): (more than 2;");
    }

    [TestMethod]
    public void Entries_Observed_ReportsEachCacheApartAndNothingOnceDisposed()
    {
        using var observed = new ObservedCaches(o => o.AddCache("other"));
        observed.Cache.Set("a", 1);
        observed.Cache.Set("b", 2, new TagCacheEntryOptions { Tags = ["t"] });
        observed.Provider.GetCache("other").Set("c", 3);

        var entries = observed.Recorder.Observe("tagcache.entries");

        Assert.AreEqual(2, entries.Single(e => e.Has(("tagcache.cache", "default"))).Value);
        Assert.AreEqual(1, entries.Single(e => e.Has(("tagcache.cache", "other"))).Value);
        observed.Provider.Dispose();
        Assert.AreEqual(0, observed.Recorder.Observe("tagcache.entries").Count);
    }

    [TestMethod]
    public void GetOrSet_WaitsOnItsOwnKey_FailsAndLogsTheCycleAsWarning()
    {
        using var observed = new ObservedCaches();

        Assert.ThrowsExactly<InvalidOperationException>(() => observed.Cache.GetOrSet("k", () => observed.Cache.GetOrSet("k", () => 1)));

        var log = observed.LogsWithId(12).Single();
        Assert.AreEqual(LogLevel.Warning, log.Level);
        StringAssert.Contains(log.Message, "a direct call in cache 'default'");
        Assert.AreEqual(1, observed.Computations("failed"));
    }

    [TestMethod]
    public void Dispose_ProviderWithoutMeterFactory_DisposesTheMeterItOwns()
    {
        var provider = TagCacheFactory.Create();
        var requests = provider.GetStore(TagCacheOptions.DefaultCacheName).Telemetry.Instruments.Requests;
        var completed = false;
        using var listener = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument, requests))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
            MeasurementsCompleted = (instrument, _) => completed |= ReferenceEquals(instrument, requests),
        };
        listener.Start();
        Assert.IsTrue(requests.Enabled);
        Assert.IsNull(requests.Meter.Scope);

        provider.Dispose();

        Assert.IsTrue(completed);
        Assert.IsFalse(requests.Enabled);
    }

    private sealed record Renamed(int Id);
}
