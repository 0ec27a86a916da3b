using System.Runtime.CompilerServices;
using Autofac;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception;
using TagCache.Reliability.Tests.Concurrency;

namespace TagCache.Reliability.Tests.Memory;

/// <summary>Nothing outlives its container (rule 10 in docs/architecture.md): plans, stores and memory caches are collected with it.</summary>
[TestClass]
[DoNotParallelize]
public sealed class ContainerLifetimeTests
{
    private const int Containers = 20;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Dispose_AutofacContainersUsedThenDisposed_TheirCachesAreCollected()
    {
        var caches = new WeakReference[Containers];
        for (var i = 0; i < Containers; i++)
        {
            caches[i] = UseAndDisposeAutofac(i);
        }

        AssertCollected(caches);
    }

    [TestMethod]
    public void Dispose_ServiceProvidersUsedThenDisposed_TheirCachesAreCollected()
    {
        var caches = new WeakReference[Containers];
        for (var i = 0; i < Containers; i++)
        {
            caches[i] = UseAndDisposeServiceProvider(i);
        }

        AssertCollected(caches);
    }

    private void AssertCollected(WeakReference[] caches)
    {
        for (var attempt = 0; attempt < 10 && caches.Any(c => c.IsAlive); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        var alive = caches.Count(c => c.IsAlive);
        TestContext.WriteLine($"{Containers} containers built, used and disposed: {alive} caches still alive after a full GC");
        Assert.AreEqual(0, alive);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseAndDisposeAutofac(int seed)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<ColdService>().As<IColdService>().InstancePerDependency().EnableTagCaching();
        using var container = builder.Build();
        Use(container.Resolve<IColdService>(), seed);
        return new WeakReference(container.Resolve<ITagCache>());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference UseAndDisposeServiceProvider(int seed)
    {
        var services = new ServiceCollection();
        services.AddTagCache();
        services.AddTransient<IColdService, ColdService>();
        services.AddTagCaching<IColdService>();
        using var provider = services.BuildServiceProvider();
        Use(provider.GetRequiredService<IColdService>(), seed);
        return new WeakReference(provider.GetRequiredService<ITagCache>());
    }

    private static void Use(IColdService service, int seed)
    {
        // ColdService fails ids divisible by 10 on purpose; those calls are not what this test is about.
        for (var id = seed * 1000; id < (seed * 1000) + 200; id++)
        {
            if (id % 10 != 0)
            {
                Assert.AreEqual(id, service.GetNumber(id));
                Assert.AreEqual(id, service.GetNumber(id));
            }
        }
    }
}
