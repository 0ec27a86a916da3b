using Autofac;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using TagCache.Interception;
using TagCache.Reliability.Tests.Support;
using TagCache.Testing;

namespace TagCache.Reliability.Tests.Faults;

[TestClass]
public sealed class StoreFaultTests
{
    [TestMethod]
    [DataRow(CacheFaults.Read)]
    [DataRow(CacheFaults.Store)]
    public void Get_CacheFails_ReturnsTargetResultRunsTargetOnceAndLogs(CacheFaults faults)
    {
        using var fixture = new Fixture(faults);

        var first = fixture.Service.Get(1);

        Assert.AreEqual(1, fixture.Target.Calls);
        Assert.AreEqual(new Reading(1, 1), first);
        fixture.AssertLoggedOnce();
    }

    [TestMethod]
    [DataRow(CacheFaults.Read)]
    [DataRow(CacheFaults.ReadAsync)]
    [DataRow(CacheFaults.Store)]
    public async Task GetAsync_CacheFails_ReturnsTargetResultRunsTargetOnceAndLogs(CacheFaults faults)
    {
        using var fixture = new Fixture(faults);

        var result = await fixture.Service.GetAsync(2);

        Assert.AreEqual(1, fixture.Target.Calls);
        Assert.AreEqual(new Reading(2, 1), result);
        fixture.AssertLoggedOnce();
    }

    [TestMethod]
    [DataRow(CacheFaults.Read)]
    [DataRow(CacheFaults.ReadAsync)]
    [DataRow(CacheFaults.Store)]
    public async Task GetValueAsync_CacheFails_ReturnsTargetResultRunsTargetOnceAndLogs(CacheFaults faults)
    {
        using var fixture = new Fixture(faults);

        var result = await fixture.Service.GetValueAsync(3);

        Assert.AreEqual(1, fixture.Target.Calls);
        Assert.AreEqual(new Reading(3, 1), result);
        fixture.AssertLoggedOnce();
    }

    [TestMethod]
    [DataRow(CacheFaults.Read)]
    [DataRow(CacheFaults.Store)]
    public void Get_CacheFailsAndTargetThrows_PropagatesTargetExceptionUnchanged(CacheFaults faults)
    {
        using var fixture = new Fixture(faults);
        var plan = FlakyService.Plan = new CallPlan(Outcome.Throw);

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => fixture.Service.Get(4));

        Assert.AreSame(plan.Thrown, thrown);
        Assert.AreEqual(1, fixture.Target.Calls);

        // A read fault is logged before the uncached call; with a store fault the target's own failure comes first and nothing is logged.
        Assert.AreEqual(faults == CacheFaults.Read ? 1 : 0, fixture.StoreFaultLogs.Count);
    }

    [TestMethod]
    [DataRow(CacheFaults.None)]
    [DataRow(CacheFaults.Store)]
    [DataRow(CacheFaults.ReadAsync)]
    public async Task GetAsync_TargetThrows_PropagatesTargetExceptionUnchangedWithItsStack(CacheFaults faults)
    {
        using var fixture = new Fixture(faults);
        var plan = FlakyService.Plan = new CallPlan(Outcome.Throw);

        var thrown = await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => fixture.Service.GetAsync(5));

        Assert.AreSame(plan.Thrown, thrown);
        Assert.Contains(nameof(FlakyService), thrown.StackTrace!);
        Assert.AreEqual(1, fixture.Target.Calls);
    }

    [TestMethod]
    public void Touch_CacheFailsToInvalidate_CallerGetsTheFault()
    {
        using var fixture = new Fixture(CacheFaults.Invalidate);

        var thrown = Assert.ThrowsExactly<CacheUnavailableException>(() => fixture.Service.Touch(1));

        Assert.AreSame(fixture.Cache.Fault, thrown);
        Assert.IsEmpty(fixture.StoreFaultLogs);
    }

    [TestMethod]
    public async Task TouchAsync_CacheFailsToInvalidate_CallerGetsTheFault()
    {
        using var fixture = new Fixture(CacheFaults.Invalidate);

        var thrown = await Assert.ThrowsExactlyAsync<CacheUnavailableException>(() => fixture.Service.TouchAsync(1));

        Assert.AreSame(fixture.Cache.Fault, thrown);
    }

    [TestMethod]
    public void Get_CacheHealthy_LogsNothingAndCaches()
    {
        using var fixture = new Fixture(CacheFaults.None);

        var first = fixture.Service.Get(6);
        var second = fixture.Service.Get(6);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, fixture.Target.Calls);
        Assert.IsEmpty(fixture.StoreFaultLogs);
    }

    [TestMethod]
    public void Get_CacheFailsUnderMicrosoftDependencyInjection_LogsThroughRegisteredLoggerFactory()
    {
        using var cache = new FaultyTagCache(CacheFaults.Read);
        var logs = new LogCapture();
        var target = new FlakyService();
        FlakyService.Plan = null;
        var services = new ServiceCollection();
        services.AddSingleton(logs.Factory);
        services.AddSingleton<ITagCacheProvider>(new SingleCacheProvider(cache));
        services.AddTagCache();
        services.AddSingleton<IFlakyService>(target);
        services.AddTagCaching<IFlakyService>();
        using var provider = services.BuildServiceProvider();

        var result = provider.GetRequiredService<IFlakyService>().Get(7);

        Assert.AreEqual(new Reading(7, 1), result);
        var entry = logs.Records.Single(e => e.Category == typeof(TagCacheInterceptor).FullName);
        Assert.StartsWith("TagCache: ", entry.Message);
        Assert.AreSame(cache.Fault, entry.Exception);
    }

    private sealed class Fixture : IDisposable
    {
        private readonly IContainer _container;

        public Fixture(CacheFaults faults)
        {
            FlakyService.Plan = null;
            Cache = new FaultyTagCache(faults);
            var builder = new ContainerBuilder();
            builder.AddTagCache();
            builder.RegisterInstance(new SingleCacheProvider(Cache)).As<ITagCacheProvider>();
            builder.RegisterInstance(Logs.Factory).As<ILoggerFactory>();
            builder.RegisterInstance(Target).As<IFlakyService>().EnableTagCaching();
            _container = builder.Build();
            Service = _container.Resolve<IFlakyService>();
        }

        public FaultyTagCache Cache { get; }

        public FlakyService Target { get; } = new();

        public LogCapture Logs { get; } = new();

        public IFlakyService Service { get; }

        public IReadOnlyList<FakeLogRecord> StoreFaultLogs => [.. Logs.Records.Where(e => e.Category == typeof(TagCacheInterceptor).FullName)];

        public void AssertLoggedOnce()
        {
            var entry = StoreFaultLogs.Single();
            Assert.AreEqual(LogLevel.Warning, entry.Level);
            Assert.StartsWith("TagCache: ", entry.Message);
            Assert.Contains("IFlakyService.", entry.Message);
            Assert.AreSame(Cache.Fault, entry.Exception);
        }

        public void Dispose()
        {
            _container.Dispose();
            Cache.Dispose();
        }
    }
}
