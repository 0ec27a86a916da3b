using Autofac;
using Autofac.Core;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class BuildValidationTests
{
    private static TagCacheConfigurationException BuildExpectingFailure(Action<ContainerBuilder> register)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        register(builder);
        return Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());
    }

    [TestMethod]
    public void Build_BrokenService_ReportsEveryProblemInOneException()
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<BrokenService>().As<IBrokenService>().EnableTagCaching());

        string[] broken =
        [
            nameof(IBrokenService.UnknownParameter), nameof(IBrokenService.UnknownMember), nameof(IBrokenService.NegativeTimeout),
            nameof(IBrokenService.UnknownCache), nameof(IBrokenService.NoResult), nameof(IBrokenService.NoTaskResult),
            nameof(IBrokenService.UnsupportedArgument), nameof(IBrokenService.InvalidateUnknown), nameof(IBrokenService.Unclosed),
        ];
        Assert.HasCount(broken.Length, exception.Problems, exception.Message);
        foreach (var method in broken)
        {
            Assert.Contains($"IBrokenService.{method}:", exception.Message);
        }

        Assert.DoesNotContain(nameof(IBrokenService.Fine), exception.Message);
    }

    [TestMethod]
    [DataRow(nameof(IBrokenService.UnknownParameter), "Product_{idd}", "{id}")]
    [DataRow(nameof(IBrokenService.UnknownMember), "Product_{product.Nmae}", "{product.Name}")]
    [DataRow(nameof(IBrokenService.NegativeTimeout), "Timeout = -5", "positive number of seconds")]
    [DataRow(nameof(IBrokenService.UnknownCache), "'nope'", "options.AddCache(\"nope\")")]
    [DataRow(nameof(IBrokenService.NoResult), "no result to cache", "[InvalidateTags]")]
    [DataRow(nameof(IBrokenService.NoTaskResult), "no result to cache", "Task<T>")]
    [DataRow(nameof(IBrokenService.UnsupportedArgument), "'product'", "Key =")]
    [DataRow(nameof(IBrokenService.InvalidateUnknown), "Product_{x}", "{id}")]
    [DataRow(nameof(IBrokenService.Unclosed), "Product_{id", "'}'")]
    public void Build_BrokenMethod_NamesMethodTemplateAndFix(string method, string template, string fix)
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<BrokenService>().As<IBrokenService>().EnableTagCaching());

        var problem = exception.Problems.Single(p => p.StartsWith($"IBrokenService.{method}:", StringComparison.Ordinal));
        Assert.Contains(template, problem);
        Assert.Contains(fix, problem);
    }

    [TestMethod]
    public void Build_AttributeOnImplementingMethod_IsCheckedToo()
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<BrokenOnClass>().As<IBrokenOnClass>().EnableTagCaching());

        Assert.HasCount(1, exception.Problems);
        Assert.Contains("Product_{nope}", exception.Problems[0]);
    }

    [TestMethod]
    public void Build_ClassServiceExposed_ReportsThatOnlyInterfacesCanBeProxied()
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<CounterService>().As<ICounterService>().AsSelf().EnableTagCaching());

        Assert.HasCount(1, exception.Problems);
        Assert.Contains(".AsSelf()", exception.Problems[0]);
    }

    [TestMethod]
    public void Build_ProblemsInTwoRegistrations_ReportedTogether()
    {
        var exception = BuildExpectingFailure(b =>
        {
            b.RegisterType<BrokenService>().As<IBrokenService>().EnableTagCaching();
            b.RegisterType<BrokenOnClass>().As<IBrokenOnClass>().EnableTagCaching();
        });

        Assert.IsTrue(exception.Problems.Any(p => p.StartsWith("IBrokenService.", StringComparison.Ordinal)));
        Assert.IsTrue(exception.Problems.Any(p => p.StartsWith("IBrokenOnClass.", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Build_BrokenServiceWithoutEnableTagCaching_FailsAsUnproxiedNotAsBroken()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<BrokenService>().As<IBrokenService>();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        Assert.HasCount(1, thrown.Problems);
        StringAssert.Contains(thrown.Problems[0], "IBrokenService (implemented by BrokenService) is registered without TagCache's proxy");
        StringAssert.Contains(thrown.Problems[0], ".EnableTagCaching()");
    }

    [TestMethod]
    public void Build_BrokenServiceWithoutEnableTagCachingAllowed_IsNotChecked()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.AllowUnproxiedServices = true);
        builder.RegisterType<BrokenService>().As<IBrokenService>();

        using var container = builder.Build();

        Assert.IsFalse(Castle.DynamicProxy.ProxyUtil.IsProxy(container.Resolve<IBrokenService>()));
    }

    [TestMethod]
    public void Resolve_EnableTagCachingWithoutAddTagCache_ExplainsWhatToCall()
    {
        var builder = new ContainerBuilder();
        builder.RegisterType<CounterService>().As<ICounterService>().EnableTagCaching();
        using var container = builder.Build();

        var exception = Assert.Throws<Exception>(() => container.Resolve<ICounterService>());

        var root = exception is DependencyResolutionException { InnerException: { } inner } ? inner : exception;
        Assert.Contains("AddTagCache()", root.Message);
    }

    [TestMethod]
    public void Next_AttributeOnImplementingMethod_IsHonoured()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<CounterService>().As<ICounterService>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();
        var counter = container.Resolve<ICounterService>();

        var first = counter.Next(1);
        var second = counter.Next(1);

        Assert.AreEqual(first, second);
        Assert.AreEqual(1, counter.Peek(1));
    }

    [TestMethod]
    public void AddTagCache_CalledTwice_ConfiguresSameOptions()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.AddCache("first"));
        builder.AddTagCache(o => o.AddCache("second"));
        using var container = builder.Build();

        var options = container.Resolve<TagCacheOptions>();

        CollectionAssert.IsSubsetOf(new[] { "default", "first", "second" }, options.CacheNames.ToArray());
        Assert.HasCount(1, container.Resolve<IEnumerable<ITagCacheProvider>>());
    }

    [TestMethod]
    public void Build_TwoMethodsShareKeyTextWithDifferentResultTypes_FailsNamingBoth()
    {
        var exception = BuildExpectingFailure(b => b.RegisterType<ClashingKeys>().As<IClashingKeys>().EnableTagCaching());

        Assert.HasCount(1, exception.Problems, exception.Message);
        Assert.Contains("IClashingKeys.Count", exception.Problems[0]);
        Assert.Contains("IClashingKeys.Name", exception.Problems[0]);
        Assert.Contains("Key = \"item_{id}\"", exception.Problems[0]);
        Assert.Contains("different Key templates", exception.Problems[0]);
    }

    [TestMethod]
    public void Build_TwoMethodsShareKeyTextWithTheSameResultType_IsAllowed()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<SharedKeyReaders>().As<ISharedKeyReaders>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();
        var sut = container.Resolve<ISharedKeyReaders>();

        Assert.AreEqual("first 1", sut.First(1));
        Assert.AreEqual("first 1", sut.Second(1), "sharing an entry through one Key is deliberate");
    }
}

public interface IClashingKeys
{
    [CacheWithTags("T", Key = "item_{id}")]
    int Count(int id);

    [CacheWithTags("T", Key = "item_{id}")]
    string Name(int id);
}

public sealed class ClashingKeys : IClashingKeys
{
    public int Count(int id) => id;

    public string Name(int id) => "name";
}

public interface ISharedKeyReaders
{
    [CacheWithTags("T", Key = "item_{id}")]
    string First(int id);

    [CacheWithTags("T", Key = "item_{id}")]
    string Second(int id);
}

public sealed class SharedKeyReaders : ISharedKeyReaders
{
    public string First(int id) => "first " + id;

    public string Second(int id) => "second " + id;
}
