using Autofac;

namespace TagCache.Autofac.Tests;

public interface ISlowReports
{
    [CacheWithTags("Report_{id}")]
    string Build(int id, CancellationToken cancellationToken);
}

/// <summary>Waits until released, honouring the token it is given.</summary>
public sealed class SlowReports : ISlowReports
{
    public ManualResetEventSlim Started { get; } = new();

    public ManualResetEventSlim Release { get; } = new();

    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public string Build(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        Started.Set();
        Release.Wait(cancellationToken);
        return "report " + id;
    }
}

/// <summary>A synchronous cached method shares one computation; one caller's cancellation never fails the others (rule 3 in docs/architecture.md).</summary>
[TestClass]
public sealed class SyncCancellationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [TestMethod]
    public async Task Build_StarterCancels_JoinerStillGetsTheValue()
    {
        using var container = Build(out var target);
        var reports = container.Resolve<ISlowReports>();
        using var starterCancel = new CancellationTokenSource();
        var starter = Task.Factory.StartNew(() => reports.Build(1, starterCancel.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.IsTrue(target.Started.Wait(Guard));
        var joiner = Task.Factory.StartNew(() => reports.Build(1, CancellationToken.None), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(100); // time for the second caller to reach the flight

        await starterCancel.CancelAsync();
        await Task.Delay(50);
        target.Release.Set();

        Assert.AreEqual("report 1", await joiner.WaitAsync(Guard));
        await Assert.ThrowsAsync<OperationCanceledException>(() => starter.WaitAsync(Guard), "the starter asked to stop and is told so");
        Assert.AreEqual(1, target.Runs);
        Assert.AreEqual("report 1", reports.Build(1, CancellationToken.None), "the value was stored for everyone");
        Assert.AreEqual(1, target.Runs);
    }

    [TestMethod]
    public async Task Build_JoinerCancels_LeavesAtOnceAndStarterGetsTheValue()
    {
        using var container = Build(out var target);
        var reports = container.Resolve<ISlowReports>();
        using var joinerCancel = new CancellationTokenSource();
        var starter = Task.Factory.StartNew(() => reports.Build(2, CancellationToken.None), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.IsTrue(target.Started.Wait(Guard));
        var joiner = Task.Factory.StartNew(() => reports.Build(2, joinerCancel.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.Delay(100); // time for the second caller to reach the flight

        await joinerCancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => joiner.WaitAsync(Guard), "a cancelled joiner stops waiting before the value exists");
        target.Release.Set();
        Assert.AreEqual("report 2", await starter.WaitAsync(Guard));
    }

    [TestMethod]
    public async Task Build_OnlyCallerCancels_TargetSeesCancellation()
    {
        using var container = Build(out var target);
        var reports = container.Resolve<ISlowReports>();
        using var cancel = new CancellationTokenSource();
        var only = Task.Factory.StartNew(() => reports.Build(3, cancel.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.IsTrue(target.Started.Wait(Guard));

        await cancel.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => only.WaitAsync(Guard));
        target.Release.Set();
        Assert.AreEqual("report 3", reports.Build(3, CancellationToken.None), "nothing was cached by the cancelled call");
        Assert.AreEqual(2, target.Runs);
    }

    private static IContainer Build(out SlowReports target)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        target = new SlowReports();
        builder.RegisterInstance(target).As<ISlowReports>().EnableTagCaching();
        return builder.Build();
    }
}
