using System.Diagnostics;
using TagCache.Testing;

namespace TagCache.Core.Tests.Telemetry;

/// <summary>
/// The <c>TagCache</c> activity source: one activity per computation and per invalidation, none on a hit, and no keys
/// unless asked. Run apart from other tests, whose providers use a source of the same name.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ActivityTests
{
    [TestMethod]
    public void GetOrSet_MissThenHit_OneComputeActivityWithCacheAndOutcomeAndNoKey()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches();
        string? insideFactory = null;

        observed.Cache.GetOrSet("secret-key", () =>
        {
            insideFactory = Activity.Current?.OperationName;
            return 1;
        });
        observed.Cache.GetOrSet("secret-key", () => 2);

        var compute = recorder.Of("tagcache.compute", "default").Single();
        Assert.AreEqual("tagcache.compute", insideFactory, "what the factory does is a child of the computation");
        Assert.AreEqual("stored", compute.GetTagItem("tagcache.outcome"));
        Assert.AreEqual(0, compute.GetTagItem("tagcache.joins"));
        Assert.IsNull(compute.GetTagItem("tagcache.method"));
        Assert.IsFalse(compute.TagObjects.Any(t => t.Key == "tagcache.key" || Equals(t.Value, "secret-key")));
        Assert.IsNull(Activity.Current, "the computation's activity does not outlive it");
    }

    [TestMethod]
    public async Task GetOrSetAsync_FailedComputation_HasErrorStatusAndTheKeyWhenAsked()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches(o => o.Telemetry.IncludeSensitiveData = true);

        await Assert.ThrowsExactlyAsync<InvalidOperationException>(async () => await observed.Cache.GetOrSetAsync<int>("k", async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException();
        }));

        var compute = recorder.Of("tagcache.compute", "default").Single();
        Assert.AreEqual("failed", compute.GetTagItem("tagcache.outcome"));
        Assert.AreEqual(ActivityStatusCode.Error, compute.Status);
        Assert.AreEqual("k", compute.GetTagItem("tagcache.key"));
        Assert.IsNull(Activity.Current);
    }

    [TestMethod]
    public async Task GetOrSetAsync_Joined_ComputeActivityCountsTheJoin()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches();
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = observed.Cache.GetOrSetAsync("k", async _ =>
        {
            started.SetResult();
            return await release.Task;
        }).AsTask();
        await started.Task;
        var second = observed.Cache.GetOrSetAsync("k", _ => ValueTask.FromResult(2)).AsTask();
        release.SetResult(1);
        await Task.WhenAll(first, second);

        Assert.AreEqual(1, recorder.Of("tagcache.compute", "default").Single().GetTagItem("tagcache.joins"));
    }

    [TestMethod]
    public void InvalidateTags_SensitiveDataOnWithinAndBeyondTheLimit_RecordsTagsOnlyWithinIt()
    {
        using var recorder = new ActivityRecorder();
        using var observed = new ObservedCaches(o =>
        {
            o.Telemetry.IncludeSensitiveData = true;
            o.Telemetry.MaxRecordedTags = 2;
        });

        observed.Cache.InvalidateTags("a", "b");
        observed.Cache.InvalidateTags("c", "d", "e");

        var activities = recorder.Of("tagcache.invalidate", "default");
        Assert.AreEqual(2, activities.Count);
        Assert.AreEqual("manual", activities[0].GetTagItem("tagcache.origin"));
        CollectionAssert.AreEqual(new[] { "a", "b" }, (string[])activities[0].GetTagItem("tagcache.tags")!);
        Assert.AreEqual(3, activities[1].GetTagItem("tagcache.tag_count"));
        Assert.IsNull(activities[1].GetTagItem("tagcache.tags"));
    }

    [TestMethod]
    public void TryGet_Hit_StartsNoActivity()
    {
        using var observed = new ObservedCaches();
        observed.Cache.Set("k", 1);
        using var recorder = new ActivityRecorder();

        observed.Cache.TryGet<int>("k", out _);
        observed.Cache.GetOrSet("k", () => 2);

        Assert.AreEqual(0, recorder.Stopped.Count);
    }
}
