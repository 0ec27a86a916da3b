using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests.SecondLevel;

public interface IShapes
{
    [CacheWithTags("Shape_{id}")]
    IComparable Interface(int id);

    [CacheWithTags("Shape_{id}")]
    object Untyped(int id);

    [CacheWithTags("Shape_{id}", SecondLevel = false)]
    IComparable KeptInMemory(int id);
}

public interface IProducts
{
    [CacheWithTags("Product_{id}")]
    Task<Product> Concrete(int id);
}

public sealed class Shapes : IShapes
{
    public IComparable Interface(int id) => id;

    public object Untyped(int id) => id;

    public IComparable KeptInMemory(int id) => id;
}

public sealed class Products : IProducts
{
    public int Calls { get; private set; }

    public Task<Product> Concrete(int id)
    {
        Calls++;
        return Task.FromResult(new Product(id, "Tea", 10));
    }
}

/// <summary>The second level through Autofac: result types it cannot store fail the build, naming the method, the type and the fixes; the rest share values.</summary>
[TestClass]
public sealed class SecondLevelBuildTests
{
    [TestMethod]
    public void Build_ResultTypesTheSerializerCannotReadBack_FailsNamingEachMethodTypeAndFix()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.UseSecondLevel(new ControlledDistributedCache()));
        builder.RegisterType<Shapes>().As<IShapes>().EnableTagCaching();

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        var problems = exception.Problems;
        Assert.HasCount(2, problems, string.Join("\n", problems));
        var forInterface = problems.Single(p => p.StartsWith("IShapes.Interface:", StringComparison.Ordinal));
        Assert.Contains("System.IComparable", forInterface);
        Assert.Contains("SecondLevel = false", forInterface);
        Assert.Contains("[JsonDerivedType]", forInterface);
        Assert.Contains("JsonElement", problems.Single(p => p.StartsWith("IShapes.Untyped:", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Build_CacheWithoutSecondLevel_SameServiceBuilds()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.UseSecondLevel(new ControlledDistributedCache()).AddCache("default", c => c.SecondLevel = false));
        builder.RegisterType<Shapes>().As<IShapes>().EnableTagCaching();

        using var container = builder.Build();

        Assert.AreEqual(3, container.Resolve<IShapes>().Interface(3));
    }

    [TestMethod]
    public async Task Call_ValueSharedThroughTheSecondLevel_TaskResultServedAfterMemoryLostIt()
    {
        var store = new ControlledDistributedCache();
        var products = new Products();
        var builder = new ContainerBuilder();
        builder.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            o.UseSecondLevel(store);
        });
        builder.RegisterInstance(products).As<IProducts>().EnableTagCaching();
        using var container = builder.Build();
        var service = container.Resolve<IProducts>();
        var provider = container.Resolve<TagCacheProvider>();

        var computed = await service.Concrete(1);
        provider.GetStore("default").Memory.Compact(1.0);
        var shared = await service.Concrete(1);

        var s = provider.GetCurrentStatistics()!;
        Assert.AreEqual(computed, shared);
        Assert.AreEqual(1, products.Calls, $"writes {store.Writes} reads {store.Reads} rejected {s.SecondLevelRejections} faults {s.SecondLevelFaults} skipped {s.SecondLevelSkipped} hits {s.Hits} misses {s.Misses}");
        Assert.AreEqual(1, provider.GetCurrentStatistics()!.SecondLevelHits);
        Assert.AreEqual(1, store.Writes);
    }
}
