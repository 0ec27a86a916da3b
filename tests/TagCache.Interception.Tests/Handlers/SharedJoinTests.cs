using Castle.DynamicProxy;
using TagCache.Testing;

namespace TagCache.Interception.Tests.Handlers;

public interface IGatedCatalog
{
    [CacheWithTags("Gated_{id}")]
    Task<string> GetAsync(int id);

    [CacheWithTags("Gated_{id}")]
    ValueTask<string> GetValueAsync(int id);

    [CacheWithTags("Gated_{id}")]
    Task<string> GetWithTokenAsync(int id, CancellationToken token);
}

public sealed class GatedCatalog : IGatedCatalog
{
    private int _calls;

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);

    public Task<string> GetAsync(int id) => Compute(id);

    public async ValueTask<string> GetValueAsync(int id) => await Compute(id);

    public async Task<string> GetWithTokenAsync(int id, CancellationToken token)
    {
        var value = await Compute(id);
        token.ThrowIfCancellationRequested();
        return value;
    }

    private async Task<string> Compute(int id)
    {
        var call = Interlocked.Increment(ref _calls);
        await Gate.Task;
        return $"{id}:v{call}";
    }
}

/// <summary>
/// Callers of an asynchronous method that join a running computation from outside any other, with nothing to cancel,
/// share the answer of the first of them (no state machine, options or key of their own), and get exactly what it gets,
/// including a fresh value when an invalidation returned before they called.
/// </summary>
[TestClass]
public sealed class SharedJoinTests : IDisposable
{
    private readonly TagCacheProvider _provider = TagCacheFactory.Create();
    private readonly GatedCatalog _target = new();
    private readonly TagCacheInterceptor _interceptor;
    private readonly IGatedCatalog _sut;

    public SharedJoinTests()
    {
        _interceptor = new TagCacheInterceptor(_provider);
        _sut = new ProxyGenerator().CreateInterfaceProxyWithTarget<IGatedCatalog>(_target, _interceptor);
    }

    public void Dispose() => _provider.Dispose();

    [TestMethod]
    public async Task GetAsync_CallersJoiningARunningComputation_ShareTheFirstJoinersAnswer()
    {
        var starter = _sut.GetAsync(1);
        var joiners = Enumerable.Range(0, 20).Select(_ => _sut.GetAsync(1)).ToArray();

        CollectionAssert.AllItemsAreNotNull(joiners);
        Assert.AreNotSame(starter, joiners[0]);
        Assert.IsTrue(joiners.Skip(1).All(j => ReferenceEquals(j, joiners[0])), "later joiners share the first joiner's task");
        _target.Gate.SetResult();

        Assert.AreEqual("1:v1", await starter);
        CollectionAssert.AreEqual(Enumerable.Repeat("1:v1", 20).ToArray(), await Task.WhenAll(joiners));
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public async Task GetValueAsync_CallersJoiningARunningComputation_AllGetTheValueAndTheTargetRunsOnce()
    {
        var calls = Enumerable.Range(0, 20).Select(_ => _sut.GetValueAsync(2).AsTask()).ToArray();
        _target.Gate.SetResult();

        CollectionAssert.AreEqual(Enumerable.Repeat("2:v1", 20).ToArray(), await Task.WhenAll(calls));
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public async Task GetAsync_InvalidatedWhileJoinersWait_CallerAfterTheInvalidationGetsAFreshValue()
    {
        var starter = _sut.GetAsync(3);
        var early = _sut.GetAsync(3);
        _provider.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Gated_3");

        // Called after the invalidation returned: it may share the early joiner's answer only because that answer is judged
        // when the computation completes, and refuses a value computed before the invalidation.
        var late = _sut.GetAsync(3);
        Assert.AreSame(early, late, "the late caller shares the early joiner's answer");
        _target.Gate.SetResult();

        Assert.AreEqual("3:v2", await late);
        Assert.AreEqual("3:v2", await early);
        Assert.AreEqual("3:v1", await starter, "the caller that computed overlapped the invalidation");
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public async Task GetWithTokenAsync_CancellableCaller_WaitsOnItsOwnAndLeavesAlone()
    {
        using var cancellation = new CancellationTokenSource();
        var starter = _sut.GetWithTokenAsync(4, CancellationToken.None);
        var joiner = _sut.GetWithTokenAsync(4, CancellationToken.None);
        var cancellable = _sut.GetWithTokenAsync(4, cancellation.Token);

        Assert.AreNotSame(joiner, cancellable);
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => cancellable);
        _target.Gate.SetResult();

        Assert.AreEqual("4:v1", await starter);
        Assert.AreEqual("4:v1", await joiner);
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public async Task Intercept_SharedJoin_AllocatesNothing()
    {
        var starter = _sut.GetAsync(5);
        var first = _sut.GetAsync(5);
        var invocation = new StubInvocation(typeof(IGatedCatalog).GetMethod(nameof(IGatedCatalog.GetAsync))!, _target, [5]);
        for (var i = 0; i < 20; i++)
        {
            _interceptor.Intercept(invocation);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _interceptor.Intercept(invocation);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _target.Gate.SetResult();

        Assert.AreSame(first, invocation.ReturnValue);
        Assert.AreEqual(0L, allocated);
        Assert.AreEqual("5:v1", await first);
        Assert.AreEqual("5:v1", await starter);
    }
}
