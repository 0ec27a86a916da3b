using Autofac;
using TagCache.Interception;

namespace TagCache.Reliability.Tests.Faults;

public interface ICycleA
{
    [CacheWithTags("A_{id}")]
    int Sync(int id);

    [CacheWithTags("A_{id}")]
    int ThroughTaskRun(int id);

    [CacheWithTags("A_{id}")]
    int ItselfThroughTaskRun(int id);

    [CacheWithTags("A_{id}")]
    Task<int> Async(int id);

    [CacheWithTags("A_{id}")]
    Task<int> WhenAllBackFirst(int id);

    [CacheWithTags("A_{id}")]
    Task<int> WhenAllSlowFirst(int id);
}

public interface ICycleB
{
    [CacheWithTags("B_{id}")]
    int BackToSync(int id);

    [CacheWithTags("B_{id}")]
    int BackToThroughTaskRun(int id);

    [CacheWithTags("B_{id}")]
    int SyncOverAsync(int id);

    [CacheWithTags("B_{id}")]
    Task<int> BackToWhenAllBackFirst(int id);

    [CacheWithTags("B_{id}")]
    Task<int> BackToWhenAllSlowFirst(int id);
}

public interface ICycleC
{
    [CacheWithTags("C_{id}")]
    Task<int> BackToAsync(int id);

    [CacheWithTags("C_{id}")]
    Task<int> Slow(int id);
}

public sealed class CycleA(Lazy<ICycleA> self, Lazy<ICycleB> b, Lazy<ICycleC> c) : ICycleA
{
    public int Sync(int id) => b.Value.BackToSync(id) + 1;

    public int ThroughTaskRun(int id) => Task.Run(() => b.Value.BackToThroughTaskRun(id)).GetAwaiter().GetResult() + 1;

    public int ItselfThroughTaskRun(int id) => Task.Run(() => self.Value.ItselfThroughTaskRun(id)).GetAwaiter().GetResult() + 1;

    public async Task<int> Async(int id) => await Task.Run(() => b.Value.SyncOverAsync(id)).ConfigureAwait(false) + 1;

    public async Task<int> WhenAllBackFirst(int id) => (await Task.WhenAll(b.Value.BackToWhenAllBackFirst(id), c.Value.Slow(id)).ConfigureAwait(false)).Sum();

    public async Task<int> WhenAllSlowFirst(int id) => (await Task.WhenAll(c.Value.Slow(id), b.Value.BackToWhenAllSlowFirst(id)).ConfigureAwait(false)).Sum();
}

public sealed class CycleB(Lazy<ICycleA> a, Lazy<ICycleC> c) : ICycleB
{
    public int BackToSync(int id) => a.Value.Sync(id);

    public int BackToThroughTaskRun(int id) => a.Value.ThroughTaskRun(id);

    public int SyncOverAsync(int id) => c.Value.BackToAsync(id).GetAwaiter().GetResult();

    // The delay lets the sibling start first, so A waits on both flights before the call back to A arrives.
    public async Task<int> BackToWhenAllBackFirst(int id)
    {
        await Task.Delay(50).ConfigureAwait(false);
        return await a.Value.WhenAllBackFirst(id).ConfigureAwait(false);
    }

    public async Task<int> BackToWhenAllSlowFirst(int id)
    {
        await Task.Delay(50).ConfigureAwait(false);
        return await a.Value.WhenAllSlowFirst(id).ConfigureAwait(false);
    }
}

public sealed class CycleC(Lazy<ICycleA> a) : ICycleC
{
    public async Task<int> BackToAsync(int id)
    {
        await Task.Yield();
        return await a.Value.Async(id).ConfigureAwait(false);
    }

    public async Task<int> Slow(int id)
    {
        await Task.Delay(300).ConfigureAwait(false);
        return id;
    }
}

/// <summary>Cycles through several services and every way of waiting fail with the cycle error instead of hanging (rule 9 in docs/architecture.md).</summary>
[TestClass]
public sealed class CompositeCycleTests
{
    private static readonly TimeSpan DeadlockGuard = TimeSpan.FromSeconds(20);

    [TestMethod]
    [DataRow(nameof(ICycleA.Sync), DisplayName = "sync A -> sync B -> A")]
    [DataRow(nameof(ICycleA.ThroughTaskRun), DisplayName = "sync A -> Task.Run(B).GetResult() -> A")]
    [DataRow(nameof(ICycleA.ItselfThroughTaskRun), DisplayName = "sync A -> Task.Run(A).GetResult()")]
    [DataRow(nameof(ICycleA.Async), DisplayName = "async A -> sync-over-async B -> async C -> A")]
    [DataRow(nameof(ICycleA.WhenAllBackFirst), DisplayName = "async A -> WhenAll(B -> A, slow C)")]
    [DataRow(nameof(ICycleA.WhenAllSlowFirst), DisplayName = "async A -> WhenAll(slow C, B -> A)")]
    public async Task Call_CycleThroughOtherServices_FailsWithCycleErrorInsteadOfDeadlock(string method)
    {
        using var container = Build();
        var a = container.Resolve<ICycleA>();

        var call = Task.Factory.StartNew(
            () => method switch
            {
                nameof(ICycleA.Sync) => Task.FromResult(a.Sync(1)),
                nameof(ICycleA.ThroughTaskRun) => Task.FromResult(a.ThroughTaskRun(1)),
                nameof(ICycleA.ItselfThroughTaskRun) => Task.FromResult(a.ItselfThroughTaskRun(1)),
                nameof(ICycleA.Async) => a.Async(1),
                nameof(ICycleA.WhenAllBackFirst) => a.WhenAllBackFirst(1),
                _ => a.WhenAllSlowFirst(1),
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

        var finished = await Task.WhenAny(call, Task.Delay(DeadlockGuard));
        Assert.AreSame(call, finished, $"{method} deadlocked");
        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => call);
        Assert.Contains("TagCache detected a cycle", error.Message);
    }

    private static IContainer Build()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<CycleA>().As<ICycleA>().SingleInstance().EnableTagCaching();
        builder.RegisterType<CycleB>().As<ICycleB>().SingleInstance().EnableTagCaching();
        builder.RegisterType<CycleC>().As<ICycleC>().SingleInstance().EnableTagCaching();
        return builder.Build();
    }
}
