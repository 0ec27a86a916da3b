using Autofac;
using TagCache.Interception;

namespace TagCache.Reliability.Tests.Memory;

public interface IBackgroundStarter
{
    [CacheWithTags("Starter_{id}")]
    int Start(int id);

    [CacheWithTags("Starter_{id}")]
    Task<int> StartAsync(int id);
}

public interface IBackgroundReads
{
    [CacheWithTags("Read_{id}")]
    int Read(int id);

    /// <summary>Needs the starter's own entry, i.e. the computation that started the loop.</summary>
    [CacheWithTags("Needs_{id}")]
    int NeedsStarter(int id);
}

/// <summary>Starts (once) a loop that outlives the cached method which started it.</summary>
public sealed class BackgroundStarter(Lazy<IBackgroundReads> reads) : IBackgroundStarter
{
    public TaskCompletionSource Returned { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task? Loop { get; private set; }

    public int LoopHits { get; set; }

    public bool ComputingInLoop { get; private set; }

    public Action<IBackgroundReads> LoopBody { get; set; } = r => r.Read(1);

    private int _started;

    public int Start(int id)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return id;
        }

        Loop = Task.Run(async () =>
        {
            await Returned.Task.ConfigureAwait(false);
            ComputingInLoop = CacheTags.IsComputing;
            for (var i = 0; i < LoopHits; i++)
            {
                LoopBody(reads.Value);
            }
        });
        return id;
    }

    public async Task<int> StartAsync(int id)
    {
        await Task.Yield();
        return Start(id);
    }
}

public sealed class BackgroundReads(Lazy<IBackgroundStarter> starter) : IBackgroundReads
{
    public int Read(int id) => id;

    public int NeedsStarter(int id) => starter.Value.Start(id) + 1;
}

public interface ISelfRefreshing
{
    [CacheWithTags("Refreshing_{id}")]
    int Compute(int id);

    [CacheWithTags("Refreshing_{id}")]
    Task<int> ComputeAsync(int id);
}

/// <summary>Starts background work that needs the very entry being computed, while the computation is still running.</summary>
public sealed class SelfRefreshing(Lazy<ISelfRefreshing> self) : ISelfRefreshing
{
    private int _runs;

    public Task<int>? Background { get; private set; }

    public int Runs => Volatile.Read(ref _runs);

    public int Compute(int id)
    {
        if (Interlocked.Increment(ref _runs) == 1)
        {
            Background = Task.Run(() => self.Value.Compute(id));
        }

        Thread.Sleep(300);
        return id * 10;
    }

    public async Task<int> ComputeAsync(int id)
    {
        if (Interlocked.Increment(ref _runs) == 1)
        {
            Background = Task.Run(() => self.Value.ComputeAsync(id));
        }

        await Task.Delay(300).ConfigureAwait(false);
        return id * 10;
    }
}

/// <summary>A computation's ambient context ends when the computation ends (rule 9 in docs/architecture.md): work it started that outlives it belongs to no one.</summary>
[TestClass]
[DoNotParallelize]
public sealed class AmbientComputationTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(false, DisplayName = "sync")]
    [DataRow(true, DisplayName = "async")]
    public async Task Loop_StartedByFinishedComputation_IsNotPartOfIt(bool async)
    {
        var (container, target) = Build(hits: 1);
        using (container)
        {
            var starter = container.Resolve<IBackgroundStarter>();
            _ = async ? await starter.StartAsync(1) : starter.Start(1);
            target.Returned.SetResult();
            await target.Loop!.WaitAsync(Guard);

            Assert.IsFalse(target.ComputingInLoop, "the loop still saw the finished computation as its ambient context");
        }
    }

    [TestMethod]
    public async Task Loop_HitsAfterComputationEnded_DoNotGrowMemory()
    {
        const int hits = 200_000;
        var (container, target) = Build(hits);
        using (container)
        {
            var starter = container.Resolve<IBackgroundStarter>();
            container.Resolve<IBackgroundReads>().Read(1);
            starter.Start(1);
            var before = GC.GetTotalMemory(forceFullCollection: true);

            target.Returned.SetResult();
            await target.Loop!.WaitAsync(Guard);
            var after = GC.GetTotalMemory(forceFullCollection: true);

            var perHit = (after - before) / (double)hits;
            TestContext.WriteLine($"{hits:N0} background hits after the computation ended: {after - before:N0} B retained ({perHit:F1} B per hit)");
            Assert.IsLessThan(2.0, perHit, "hits in a loop that outlived its computation must not accumulate");
        }
    }

    [TestMethod]
    public async Task Loop_CallsWhatNeedsTheComputationThatStartedIt_NoFalseCycle()
    {
        var (container, target) = Build(hits: 3);
        using (container)
        {
            var starter = container.Resolve<IBackgroundStarter>();
            target.LoopBody = reads =>
            {
                container.Resolve<ITagCache>().InvalidateTags("Starter_1", "Needs_1");
                Assert.AreEqual(2, reads.NeedsStarter(1));
            };
            starter.Start(1);
            target.Returned.SetResult();

            await target.Loop!.WaitAsync(Guard);
        }
    }

    [TestMethod]
    [DataRow(false, DisplayName = "sync")]
    [DataRow(true, DisplayName = "async")]
    public async Task Background_WaitsOnTheComputationThatStartedIt_GetsItsValueNotACycleError(bool async)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<SelfRefreshing>().AsSelf().SingleInstance();
        builder.Register(c => c.Resolve<SelfRefreshing>()).As<ISelfRefreshing>().EnableTagCaching();
        using var container = builder.Build();
        var target = container.Resolve<SelfRefreshing>();
        var service = container.Resolve<ISelfRefreshing>();

        var outer = async ? await service.ComputeAsync(4) : service.Compute(4);

        Assert.AreEqual(40, outer);
        Assert.AreEqual(40, await target.Background!.WaitAsync(Guard), "the background call waits for the running computation, which does not wait for it");
        Assert.AreEqual(1, target.Runs);
    }

    private static (IContainer Container, BackgroundStarter Target) Build(int hits)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<BackgroundStarter>().AsSelf().SingleInstance();
        builder.Register(c => c.Resolve<BackgroundStarter>()).As<IBackgroundStarter>().EnableTagCaching();
        builder.RegisterType<BackgroundReads>().As<IBackgroundReads>().SingleInstance().EnableTagCaching();
        var container = builder.Build();
        var target = container.Resolve<BackgroundStarter>();
        target.LoopHits = hits;
        return (container, target);
    }
}
