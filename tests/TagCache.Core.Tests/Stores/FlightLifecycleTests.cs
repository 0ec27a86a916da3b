using Microsoft.Extensions.Time.Testing;
using TagCache.Core.Tests.Support;

namespace TagCache.Core.Tests.Stores;

/// <summary>Every flight completes, whatever fails on its way: validation, the factory, the store, or disposal.</summary>
[TestClass]
public sealed class FlightLifecycleTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [TestMethod]
    [DataRow("", DisplayName = "empty tag")]
    [DataRow(null, DisplayName = "null tag")]
    public async Task GetOrSet_InvalidTag_ThrowsAndLaterCallsOnTheKeyDoNotHang(string? tag)
    {
        using var sut = StoreFactory.Create();
        var options = new TagCacheEntryOptions { Tags = [tag!] };

        Assert.ThrowsExactly<ArgumentException>(() => sut.GetOrSet("k", () => 1, options), "sync");
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => sut.GetOrSetAsync("k", _ => ValueTask.FromResult(1), options).AsTask().WaitAsync(Guard), "async");

        Assert.AreEqual(0, sut.FlightCount);
        var later = Task.Run(() => sut.GetOrSet("k", () => 2));
        Assert.AreEqual(2, await later.WaitAsync(Guard));
        Assert.AreEqual(2, await sut.GetOrSetAsync("k", _ => ValueTask.FromResult(3)).AsTask().WaitAsync(Guard));
    }

    [TestMethod]
    public async Task GetOrSetAsync_LastWaiterCancelsAndTheFactorysCallbackThrows_CallerGetsItsCancellation()
    {
        using var sut = StoreFactory.Create();
        using var caller = new CancellationTokenSource();
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var call = sut.GetOrSetAsync("k", async token =>
        {
            token.Register(() => throw new InvalidProgramException("the factory's callback"));
            registered.SetResult();
            await Task.Delay(Timeout.Infinite, CancellationToken.None).WaitAsync(token);
            return 1;
        }, cancellationToken: caller.Token).AsTask();
        await registered.Task.WaitAsync(Guard);
        caller.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call.WaitAsync(Guard));
        await WaitUntil(() => sut.FlightCount == 0);
    }

    [TestMethod]
    public async Task GetOrSet_SyncStarterCancelledAndTheFactorysCallbackThrows_CancelReturnsAndCallerGetsItsCancellation()
    {
        using var sut = StoreFactory.Create();
        using var caller = new CancellationTokenSource();
        var registered = new ManualResetEventSlim();

        var call = Task.Run(() => sut.GetOrSet("k", token =>
        {
            token.Register(() => throw new InvalidProgramException("the factory's callback"));
            registered.Set();
            token.WaitHandle.WaitOne(Guard);
            token.ThrowIfCancellationRequested();
            return 1;
        }, options: null, caller.Token));
        Assert.IsTrue(registered.Wait(Guard));

        caller.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(() => call.WaitAsync(Guard));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSet_InvalidResultTag_ThrowsToEveryWaiterAndLeavesNoFlight()
    {
        using var sut = StoreFactory.Create();
        var release = new ManualResetEventSlim();
        var options = new TagCacheEntryOptions { ResultTags = _ => [""] };
        var starter = Task.Run(() => sut.GetOrSet("k", () => { release.Wait(Guard); return 1; }, options));
        await WaitUntil(() => sut.FlightCount == 1);
        var joiner = Task.Run(() => sut.GetOrSet("k", () => 2, options));

        release.Set();

        await Assert.ThrowsExactlyAsync<ArgumentException>(() => starter.WaitAsync(Guard));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => joiner.WaitAsync(Guard));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSetAsync_StoreDisposedDuringComputation_EveryCallerCompletes()
    {
        var sut = StoreFactory.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var asyncStarter = sut.GetOrSetAsync("k", async _ => { started.SetResult(); await release.Task.ConfigureAwait(false); return 1; }).AsTask();
        await started.Task.WaitAsync(Guard);
        var syncJoiner = Task.Run(() => sut.GetOrSet("k", () => 2));
        var asyncJoiner = sut.GetOrSetAsync("k", _ => ValueTask.FromResult(3)).AsTask();
        await Task.Delay(50);

        sut.Dispose();
        release.SetResult();

        foreach (var call in new Task[] { asyncStarter, syncJoiner, asyncJoiner })
        {
            var finished = await Task.WhenAny(call, Task.Delay(Guard));
            Assert.AreSame(call, finished, "a caller of a disposed cache must not wait forever");
            await Assert.ThrowsAsync<ObjectDisposedException>(() => call);
        }

        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSet_SyncStarterWhenStoreIsDisposedMidway_JoinersComplete()
    {
        var sut = StoreFactory.Create();
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var starter = Task.Run(() => sut.GetOrSet("k", () => { started.Set(); release.Wait(Guard); return 1; }));
        started.Wait(Guard);
        var joiner = Task.Run(() => sut.GetOrSet("k", () => 2));
        await Task.Delay(50);

        sut.Dispose();
        release.Set();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => starter.WaitAsync(Guard));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => joiner.WaitAsync(Guard));
    }

    [TestMethod]
    public void GetOrSet_DefaultTimeoutMaxValue_StoresWithoutExpiry()
    {
        using var sut = StoreFactory.Create(defaultTimeout: TimeSpan.MaxValue);

        Assert.AreEqual(1, sut.GetOrSet("k", () => 1, StoreFactory.Tags("T")));

        Assert.IsTrue(sut.TryGet<int>("k", out _));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "TimeSpan.MaxValue")]
    [DataRow(true, DisplayName = "Timeout.InfiniteTimeSpan")]
    public void Set_VeryLongTimeout_MeansNoExpiry(bool infinite)
    {
        var time = new FakeTimeProvider();
        using var sut = StoreFactory.Create(time);
        var options = new TagCacheEntryOptions { Timeout = infinite ? Timeout.InfiniteTimeSpan : TimeSpan.MaxValue };

        sut.Set("k", 1, options);
        time.Advance(TimeSpan.FromDays(365 * 100));

        Assert.IsTrue(sut.TryGet<int>("k", out var value));
        Assert.AreEqual(1, value);
    }

    [TestMethod]
    [DataRow(false, DisplayName = "Remove")]
    [DataRow(true, DisplayName = "Set")]
    public async Task RemoveOrSet_WhileOlderComputationInFlight_WinsOverIt(bool set)
    {
        using var sut = StoreFactory.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var older = sut.GetOrSetAsync("k", async _ => { await release.Task.ConfigureAwait(false); return "old"; }).AsTask();

        if (set)
        {
            sut.Set("k", "new");
        }
        else
        {
            sut.Remove("k");
        }

        release.SetResult();
        Assert.AreEqual("old", await older.WaitAsync(Guard), "the older caller still gets its own value");

        var found = sut.TryGet<string>("k", out var value);
        Assert.AreEqual(set, found, "the older computation must not store over the write");
        Assert.AreEqual(set ? "new" : null, value);
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSet_AfterSetDuringOlderFlight_DoesNotJoinTheOlderFlight()
    {
        using var sut = StoreFactory.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var older = sut.GetOrSetAsync("k", async _ => { await release.Task.ConfigureAwait(false); return "old"; }).AsTask();

        sut.Set("k", "new", StoreFactory.Tags("T"));
        sut.InvalidateTags("T");
        var later = sut.GetOrSetAsync("k", _ => ValueTask.FromResult("fresh")).AsTask();

        Assert.AreEqual("fresh", await later.WaitAsync(Guard), "a read after the write must not get the value computed before it");
        release.SetResult();
        await older.WaitAsync(Guard);
        Assert.IsTrue(sut.TryGet<string>("k", out var value));
        Assert.AreEqual("fresh", value);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Guard;
        while (!condition())
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, "condition not reached in time");
            await Task.Delay(10);
        }
    }
}
