using Autofac;
using TagCache.Interception;

namespace TagCache.Reliability.Tests.Faults;

public interface IRecursiveService
{
    [CacheWithTags("Node_{id}")]
    int Depth(int id);

    [CacheWithTags("Node_{id}")]
    Task<int> DepthAsync(int id);
}

/// <summary>Calls itself through its own proxy with the same arguments, i.e. the same key.</summary>
public sealed class RecursiveService(Lazy<IRecursiveService> self) : IRecursiveService
{
    public int Depth(int id) => self.Value.Depth(id) + 1;

    public async Task<int> DepthAsync(int id) => await self.Value.DepthAsync(id).ConfigureAwait(false) + 1;
}

[TestClass]
public sealed class CycleTests
{
    private static readonly TimeSpan DeadlockGuard = TimeSpan.FromSeconds(30);

    [TestMethod]
    public void Depth_CallsItselfWithSameKey_FailsWithCycleErrorInsteadOfDeadlock()
    {
        using var container = Build();
        var service = container.Resolve<IRecursiveService>();

        var call = Task.Factory.StartNew(() => service.Depth(1), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        Assert.IsTrue(((IAsyncResult)call).AsyncWaitHandle.WaitOne(DeadlockGuard), "deadlock guard");
        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => call.GetAwaiter().GetResult());
        Assert.Contains("TagCache detected a cycle", thrown.Message);
        Assert.Contains("IRecursiveService", thrown.Message);
    }

    [TestMethod]
    public async Task DepthAsync_CallsItselfWithSameKey_FailsWithCycleErrorInsteadOfDeadlock()
    {
        using var container = Build();
        var service = container.Resolve<IRecursiveService>();

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => service.DepthAsync(2).WaitAsync(DeadlockGuard));

        Assert.Contains("TagCache detected a cycle", thrown.Message);
    }

    private static IContainer Build()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<RecursiveService>().As<IRecursiveService>().SingleInstance().EnableTagCaching();
        return builder.Build();
    }
}
