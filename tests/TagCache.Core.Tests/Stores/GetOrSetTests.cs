using TagCache.Core.Tests.Support;

namespace TagCache.Core.Tests.Stores;

[TestClass]
public sealed class GetOrSetTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void GetOrSet_ComputesOnMiss_ThenHits()
    {
        using var sut = StoreFactory.Create();
        var calls = 0;

        var first = sut.GetOrSet("k", () => ++calls, StoreFactory.Tags("T"));
        var second = sut.GetOrSet("k", () => ++calls, StoreFactory.Tags("T"));

        Assert.AreEqual(1, first);
        Assert.AreEqual(1, second);
        Assert.AreEqual(1, calls);
    }

    [TestMethod]
    public async Task GetOrSetAsync_64ConcurrentCallers_RunFactoryOnce()
    {
        using var sut = StoreFactory.Create();
        var calls = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var start = new Barrier(64);

        // Dedicated threads: 64 callers blocked on a barrier would starve a 2-core thread pool.
        var callers = Enumerable.Range(0, 64).Select(_ => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            return await sut.GetOrSetAsync("k", async ct =>
            {
                Interlocked.Increment(ref calls);
                await release.Task.ConfigureAwait(false);
                return "value";
            }, StoreFactory.Tags("T"));
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap()).ToArray();

        await Task.Delay(200);
        release.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(Guard);

        Assert.AreEqual(1, calls);
        Assert.IsTrue(results.All(r => r == "value"));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSet_64ConcurrentSyncCallers_RunFactoryOnce()
    {
        using var sut = StoreFactory.Create();
        var calls = 0;
        using var start = new Barrier(64);

        var callers = Enumerable.Range(0, 64).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return sut.GetOrSet("k", () =>
            {
                Interlocked.Increment(ref calls);
                Thread.Sleep(200);
                return 7;
            });
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();

        var results = await Task.WhenAll(callers).WaitAsync(Guard);

        Assert.AreEqual(1, calls);
        Assert.IsTrue(results.All(r => r == 7));
    }

    [TestMethod]
    public async Task GetOrSetAsync_FactoryThrows_EveryWaiterGetsSameExceptionAndNothingIsCached()
    {
        using var sut = StoreFactory.Create();
        var failure = new InvalidOperationException("database down");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<int> Factory(CancellationToken ct)
        {
            await release.Task.ConfigureAwait(false);
            throw failure;
        }

        var waiters = Enumerable.Range(0, 8).Select(_ => sut.GetOrSetAsync("k", Factory).AsTask()).ToArray();
        release.SetResult();

        foreach (var waiter in waiters)
        {
            var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => waiter);
            Assert.AreSame(failure, thrown);
        }

        Assert.IsFalse(sut.TryGet<int>("k", out _));
        Assert.AreEqual(5, await sut.GetOrSetAsync("k", _ => ValueTask.FromResult(5)));
    }

    [TestMethod]
    public void GetOrSet_FactoryThrows_ExceptionUnchangedAndNotCached()
    {
        using var sut = StoreFactory.Create();
        var failure = new FormatException("bad row");

        var thrown = Assert.ThrowsExactly<FormatException>(() => sut.GetOrSet<int>("k", () => throw failure));

        Assert.AreSame(failure, thrown);
        Assert.IsFalse(sut.TryGet<int>("k", out _));
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSetAsync_OneWaiterCancels_OthersStillGetTheValue()
    {
        using var sut = StoreFactory.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var factoryToken = CancellationToken.None;
        async ValueTask<string> Factory(CancellationToken ct)
        {
            factoryToken = ct;
            await release.Task.ConfigureAwait(false);
            return "v";
        }

        using var impatient = new CancellationTokenSource();
        var first = sut.GetOrSetAsync("k", Factory, cancellationToken: impatient.Token).AsTask();
        var second = sut.GetOrSetAsync("k", Factory).AsTask();

        await impatient.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        Assert.IsFalse(factoryToken.IsCancellationRequested, "the computation must go on for the remaining waiter");
        release.SetResult();

        Assert.AreEqual("v", await second.WaitAsync(Guard));
        Assert.IsTrue(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    public async Task GetOrSetAsync_EveryWaiterCancels_FactoryIsCancelledAndNothingCached()
    {
        using var sut = StoreFactory.Create();
        var factoryCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async ValueTask<string> Factory(CancellationToken ct)
        {
            using var registration = ct.Register(() => factoryCancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            return "never";
        }

        using var a = new CancellationTokenSource();
        using var b = new CancellationTokenSource();
        var first = sut.GetOrSetAsync("k", Factory, cancellationToken: a.Token).AsTask();
        var second = sut.GetOrSetAsync("k", Factory, cancellationToken: b.Token).AsTask();
        await a.CancelAsync();
        await b.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAsync<OperationCanceledException>(() => second);
        await factoryCancelled.Task.WaitAsync(Guard);
        await WaitUntil(() => sut.FlightCount == 0);
        Assert.IsFalse(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    public async Task GetOrSetAsync_FactoryCancelsItself_NotCached()
    {
        using var sut = StoreFactory.Create();

        await Assert.ThrowsAsync<OperationCanceledException>(async () =>
            await sut.GetOrSetAsync<int>("k", _ => throw new OperationCanceledException()));

        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetOrSet_TagInvalidatedDuringComputation_ReturnsValueButDoesNotStoreIt()
    {
        using var sut = StoreFactory.Create();

        var value = sut.GetOrSet("k", () =>
        {
            sut.InvalidateTags("Product_1");
            return "read before the write";
        }, StoreFactory.Tags("Product_1"));

        Assert.AreEqual("read before the write", value);
        Assert.IsFalse(sut.TryGet<string>("k", out _));
    }

    [TestMethod]
    public void GetOrSet_AppendedTagInvalidatedDuringComputation_DoesNotStore()
    {
        using var sut = StoreFactory.Create();
        sut.Set("other", 1, StoreFactory.Tags("Late")); // the tag state exists and is held

        sut.GetOrSet("k", () =>
        {
            sut.InvalidateTags("Late");
            CacheTags.Append("Late");
            return 1;
        });

        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetOrSet_AppendedTagWithNoStateInvalidatedDuringComputation_DoesNotStore()
    {
        // The tag had no state when it was invalidated: the state created later must count as bumped now.
        using var sut = StoreFactory.Create();

        sut.GetOrSet("k", () =>
        {
            sut.InvalidateTags("NeverSeenBefore");
            CacheTags.Append("NeverSeenBefore");
            return 1;
        });

        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetOrSet_AppendedTagNotInvalidated_StoresAndCarriesTag()
    {
        using var sut = StoreFactory.Create();

        sut.GetOrSet("k", () =>
        {
            CacheTags.Append("NewTag1", "NewTag2");
            return 1;
        });
        Assert.IsTrue(sut.TryGet<int>("k", out _));

        sut.InvalidateTags("NewTag2");
        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void GetOrSet_ResultTagInvalidatedDuringComputation_DoesNotStore()
    {
        using var sut = StoreFactory.Create();
        var options = new TagCacheEntryOptions { ResultTags = r => [$"Category_{r}"] };

        sut.GetOrSet("k", () =>
        {
            sut.InvalidateTags("Category_3");
            return 3;
        }, options);
        Assert.IsFalse(sut.TryGet<int>("k", out _));

        sut.GetOrSet("k", () => 3, options);
        Assert.IsTrue(sut.TryGet<int>("k", out _));
        sut.InvalidateTags("Category_3");
        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public async Task GetOrSetAsync_AppendedTagFlowsAcrossAwait()
    {
        using var sut = StoreFactory.Create();

        await sut.GetOrSetAsync("k", async _ =>
        {
            await Task.Yield();
            CacheTags.Append("AfterAwait");
            return 1;
        });

        sut.InvalidateTags("AfterAwait");
        Assert.IsFalse(sut.TryGet<int>("k", out _));
    }

    [TestMethod]
    public void Append_OutsideComputation_Throws()
    {
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => CacheTags.Append("Tag"));

        StringAssert.Contains(error.Message, "outside a cached computation");
    }

    [TestMethod]
    public async Task GetOrSetAsync_CallerJoiningAfterInvalidation_DoesNotGetTheOlderValue()
    {
        // A computation started before an invalidation; a caller whose read starts after it returned must not be
        // handed that computation's value (rule 1 in docs/architecture.md, for joiners).
        using var sut = StoreFactory.Create();
        var version = 1;
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        async ValueTask<int> Factory(CancellationToken ct)
        {
            var seen = version;
            if (Interlocked.Increment(ref calls) == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task.ConfigureAwait(false);
            }

            return seen;
        }

        var first = sut.GetOrSetAsync("k", Factory, StoreFactory.Tags("Row")).AsTask();
        await firstStarted.Task.WaitAsync(Guard);
        version = 2;
        sut.InvalidateTags("Row");
        var late = sut.GetOrSetAsync("k", Factory, StoreFactory.Tags("Row")).AsTask();
        releaseFirst.SetResult();

        Assert.AreEqual(1, await first.WaitAsync(Guard), "the starter gets its own value");
        Assert.AreEqual(2, await late.WaitAsync(Guard));
        Assert.AreEqual(2, sut.GetOrSet("k", () => -1, StoreFactory.Tags("Row")));
    }

    [TestMethod]
    public void GetOrSet_NestedCachedCall_PropagatesItsTagsToTheOuterEntry()
    {
        using var sut = StoreFactory.Create();
        string Product(int id) => sut.GetOrSet($"product:{id}", () => $"p{id}", StoreFactory.Tags($"Product_{id}"));
        string Page() => sut.GetOrSet("page", () => Product(5) + Product(6), StoreFactory.Tags("Category_1"));

        Assert.AreEqual("p5p6", Page());
        Assert.IsTrue(sut.TryGet<string>("page", out _));

        sut.InvalidateTags("Product_5");

        Assert.IsFalse(sut.TryGet<string>("page", out _));
    }

    [TestMethod]
    public void GetOrSet_NestedHit_PropagatesItsTagsToTheOuterEntry()
    {
        using var sut = StoreFactory.Create();
        sut.Set("product:5", "p5", StoreFactory.Tags("Product_5"));

        sut.GetOrSet("page", () => sut.GetOrSet("product:5", () => "x", StoreFactory.Tags("Product_5")));
        sut.InvalidateTags("Product_5");

        Assert.IsFalse(sut.TryGet<string>("page", out _));
    }

    [TestMethod]
    public async Task GetOrSetAsync_NestedAsyncCall_PropagatesAcrossAwaits()
    {
        using var sut = StoreFactory.Create();
        async ValueTask<string> Product(int id) =>
            await sut.GetOrSetAsync($"product:{id}", async _ => { await Task.Yield(); return $"p{id}"; }, StoreFactory.Tags($"Product_{id}"));

        await sut.GetOrSetAsync("page", async _ => await Product(5) + await Product(6));
        sut.InvalidateTags("Product_6");

        Assert.IsFalse(sut.TryGet<string>("page", out _));
    }

    [TestMethod]
    public void GetOrSet_NestedComputationInvalidatedMidway_OuterIsNotStoredEither()
    {
        using var sut = StoreFactory.Create();

        sut.GetOrSet("page", () => sut.GetOrSet("product:5", () =>
        {
            sut.InvalidateTags("Product_5");
            return "p5";
        }, StoreFactory.Tags("Product_5")));

        Assert.IsFalse(sut.TryGet<string>("page", out _));
    }

    [TestMethod]
    public void GetOrSet_FactoryRequestsItsOwnKey_FailsWithCycleError()
    {
        using var sut = StoreFactory.Create();

        var error = Assert.ThrowsExactly<InvalidOperationException>(() =>
            sut.GetOrSet("self", () => sut.GetOrSet("self", () => 1)));

        StringAssert.Contains(error.Message, "cycle");
        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSetAsync_FactoryAwaitsItsOwnKey_FailsWithCycleErrorInsteadOfDeadlock()
    {
        using var sut = StoreFactory.Create();
        async ValueTask<int> Outer(CancellationToken ct)
        {
            await Task.Yield();
            return await sut.GetOrSetAsync("b", async _ => await sut.GetOrSetAsync("a", Outer), cancellationToken: ct);
        }

        var call = sut.GetOrSetAsync("a", Outer).AsTask();

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => call.WaitAsync(Guard));
        StringAssert.Contains(error.Message, "cycle");
    }

    [TestMethod]
    public void GetOrSet_CompletedFlights_LeaveNoCoordinationState()
    {
        using var sut = StoreFactory.Create();

        for (var i = 0; i < 10_000; i++)
        {
            sut.GetOrSet($"k{i}", () => i);
        }

        Assert.AreEqual(0, sut.FlightCount);
    }

    [TestMethod]
    public async Task GetOrSetAsync_SameKeyDifferentType_WhileInFlight_ThrowsClearError()
    {
        using var sut = StoreFactory.Create();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = sut.GetOrSetAsync("k", async _ => { await release.Task.ConfigureAwait(false); return 1; }).AsTask();

        var error = Assert.ThrowsExactly<InvalidCastException>(() => sut.GetOrSet("k", () => "text"));

        StringAssert.Contains(error.Message, "distinct keys");
        release.SetResult();
        Assert.AreEqual(1, await running.WaitAsync(Guard));
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
