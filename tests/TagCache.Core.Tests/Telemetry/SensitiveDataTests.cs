using System.Diagnostics;
using TagCache.Testing;

namespace TagCache.Core.Tests.Telemetry;

/// <summary>
/// Keys and tags are built from argument values, which can be personal data: by default no exception message, log
/// message or trace TagCache writes holds one; with <see cref="TagCacheTelemetryOptions.IncludeSensitiveData"/> they do.
/// Each case runs both ways, so a check that could not see the secret would fail the second way.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SensitiveDataTests
{
    private const string Secret = "alice@example.com";
    private static readonly string Key = "customer:" + Secret;
    private static readonly string Tag = "Customer_" + Secret;

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Cycle_ErrorAndLog_HoldTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var observed = Observe(sensitive);

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => observed.Cache.GetOrSet(Key, () => observed.Cache.GetOrSet(Key, () => 1)));

        AssertSecret(sensitive, error.Message);
        AssertSecret(sensitive, observed.LogsWithId(12).Single().Message);
        StringAssert.Contains(error.Message, "a direct call in cache 'default'");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task Dispose_WhileComputing_ErrorHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        var observed = Observe(sensitive);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = observed.Cache.GetOrSetAsync(Key, async ct =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return 1;
        }).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        observed.Dispose();

        var error = await Assert.ThrowsExactlyAsync<ObjectDisposedException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        AssertSecret(sensitive, error.Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Set_DeferredSequence_ErrorHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var observed = Observe(sensitive);
        var rows = new List<int> { 1, 2 };

        var error = Assert.ThrowsExactly<ArgumentException>(() => observed.Cache.Set(Key, rows.Where(r => r > 1)));

        AssertSecret(sensitive, error.Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void TryGet_KeyHoldsAnotherType_ErrorHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var observed = Observe(sensitive);
        observed.Cache.Set(Key, 1);

        var error = Assert.ThrowsExactly<InvalidCastException>(() => observed.Cache.TryGet<string>(Key, out _));

        AssertSecret(sensitive, error.Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public async Task GetOrSet_KeyBeingComputedAsAnotherType_ErrorHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var observed = Observe(sensitive);
        var release = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = observed.Cache.GetOrSetAsync(Key, async _ => await release.Task).AsTask();

        var error = Assert.ThrowsExactly<InvalidCastException>(() => observed.Cache.GetOrSet(Key, () => "text"));

        release.SetResult(1);
        await running;
        AssertSecret(sensitive, error.Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Discarded_LogHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var observed = Observe(sensitive);

        observed.Cache.GetOrSet(Key, () =>
        {
            observed.Cache.InvalidateTags(Tag);
            return 1;
        }, new TagCacheEntryOptions { Tags = [Tag] });

        AssertSecret(sensitive, observed.LogsWithId(11).Single().Message);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void InvalidateTags_LogAndTraceHoldTheTagsOnlyWithTheSwitch(bool sensitive)
    {
        using var recorder = new ActivityRecorder();
        using var observed = Observe(sensitive);

        observed.Cache.InvalidateTags(Tag);

        AssertSecret(sensitive, observed.LogsWithId(10).Single().Message);
        var activity = recorder.Of("tagcache.invalidate", "default").Single();
        AssertSecret(sensitive, TagsOf(activity));
        Assert.AreEqual(1, activity.GetTagItem("tagcache.tag_count"));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Compute_TraceHoldsTheKeyOnlyWithTheSwitch(bool sensitive)
    {
        using var recorder = new ActivityRecorder();
        using var observed = Observe(sensitive);

        observed.Cache.GetOrSet(Key, () => 1, new TagCacheEntryOptions { Tags = [Tag] });

        AssertSecret(sensitive, TagsOf(recorder.Of("tagcache.compute", "default").Single()));
    }

    private static ObservedCaches Observe(bool sensitive) => new(o => o.Telemetry.IncludeSensitiveData = sensitive);

    private static string TagsOf(Activity activity) =>
        string.Join(" ", activity.TagObjects.Select(t => t.Value is string[] many ? string.Join(",", many) : t.Value?.ToString()));

    private static void AssertSecret(bool expected, string text)
    {
        if (expected)
        {
            StringAssert.Contains(text, Secret);
        }
        else
        {
            Assert.DoesNotContain(Secret, text);
        }
    }
}
