using Autofac;
using TagCache.Interception;
using TagCache.Stores;

namespace TagCache.Reliability.Tests.Concurrency;

[TestClass]
[DoNotParallelize]
public sealed class StampedeTests
{
    private const int Callers = 1_000;
    private static readonly TimeSpan Guard = TimeSpan.FromMinutes(2);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public void Get_ThousandConcurrentCallersOnColdKey_RunsTargetOnce()
    {
        var target = new ColdService();
        using var container = Build(target);
        var service = container.Resolve<IColdService>();
        using var arrived = new CountdownEvent(Callers);

        // The one computation stays open until every caller is about to call, so they all miss on the cold key meanwhile.
        // The pause after the last arrival only widens the overlap; the assertions hold whatever the timing.
        target.HoldSync = () =>
        {
            if (!arrived.Wait(Guard))
            {
                throw new TimeoutException("deadlock guard: not every caller started");
            }

            Thread.Sleep(200);
        };
        var results = new Snapshot?[Callers];
        var errors = new Exception?[Callers];
        var threads = Enumerable.Range(0, Callers).Select(i => new Thread(() =>
        {
            arrived.Signal();
            try
            {
                results[i] = service.Get(1);
            }
            catch (Exception exception)
            {
                errors[i] = exception;
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => Assert.IsTrue(t.Join(Guard), "deadlock guard"));
        Assert.IsTrue(errors.All(e => e is null), errors.FirstOrDefault(e => e is not null)?.ToString());

        Report($"sync stampede: {Callers} callers, target runs {target.Runs}");
        Assert.AreEqual(1, target.Runs);
        Assert.IsTrue(results.All(r => ReferenceEquals(r, results[0])), "every caller gets the one computed value");
        Assert.AreEqual(0, Store(container).FlightCount);
    }

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task GetAsync_ThousandConcurrentCallersOnColdKey_RunsTargetOnce()
    {
        var target = new ColdService();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        target.HoldAsync = gate.Task;
        using var container = Build(target);
        var service = container.Resolve<IColdService>();

        var calls = new Task<Snapshot>[Callers];
        Parallel.For(0, Callers, i => calls[i] = service.GetAsync(1));

        // Every caller has called and none has its result yet: all of them are waiting on the one computation.
        Assert.IsFalse(calls.Any(c => c.IsCompleted));
        Assert.AreEqual(1, target.Runs);
        Assert.AreEqual(1, Store(container).FlightCount);
        gate.SetResult();
        var results = await Task.WhenAll(calls).WaitAsync(Guard, TestContext.CancellationToken);

        Report($"async stampede: {Callers} callers, target runs {target.Runs}");
        Assert.AreEqual(1, target.Runs);
        Assert.IsTrue(results.All(r => ReferenceEquals(r, results[0])), "every caller gets the one computed value");
        Assert.AreEqual(0, Store(container).FlightCount);
    }

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task GetNumber_HundredThousandDistinctKeys_LeavesNoFlightBehind()
    {
        const int Keys = 100_000;
        var target = new ColdService();
        using var container = Build(target);
        var service = container.Resolve<IColdService>();
        var store = Store(container);
        var failures = 0;

        // Two dedicated threads of sync calls and the thread pool's async calls; some fail, some are cancelled.
        var half = Keys / 2;
        var sync = Enumerable.Range(0, 2).Select(part => Task.Factory.StartNew(
            () =>
            {
                for (var id = part; id < half; id += 2)
                {
                    try
                    {
                        _ = service.GetNumber(id);
                    }
                    catch (InvalidOperationException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var asyncCalls = Enumerable.Range(half, Keys - half).Select(async id =>
        {
            try
            {
                _ = await service.GetNumberAsync(id, id % 10 == 3 ? cancelled.Token : CancellationToken.None);
            }
            catch (Exception exception) when (exception is InvalidOperationException or OperationCanceledException)
            {
                Interlocked.Increment(ref failures);
            }
        }).ToArray();
        await Task.WhenAll([.. sync, .. asyncCalls]).WaitAsync(Guard, TestContext.CancellationToken);

        Report($"{Keys:N0} distinct keys: target runs {target.Runs:N0}, failed or cancelled calls {failures:N0}, flights left {store.FlightCount}, entries {store.Memory.Count:N0}");
        Assert.AreEqual(0, store.FlightCount);
        Assert.IsGreaterThan(0, failures);
        Assert.AreEqual(Keys - failures, store.Memory.Count, "exactly the successful calls are cached");
    }

    private static IContainer Build(ColdService target)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterInstance(target).As<IColdService>().EnableTagCaching();
        return builder.Build();
    }

    private static TagCacheStore Store(IContainer container) => (TagCacheStore)container.Resolve<ITagCache>();

    private void Report(string text)
    {
        Console.WriteLine(text);
        TestContext.WriteLine(text);
    }
}
