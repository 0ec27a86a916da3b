using Autofac;
using TagCache.Interception.Checks;

namespace TagCache.Interception.Tests.Checks;

public interface ISelfCalling
{
    [CacheWithTags("All")]
    IReadOnlyList<int> All();

    [CacheWithTags("One_{id}")]
    int One(int id);

    Task<int> OneAsync(int id);

    int Sum();

    [InvalidateTags("All")]
    void Reset();

    void Save();
}

/// <summary>Every way code can call its own cached or invalidating method without the proxy.</summary>
public sealed class SelfCalling : ISelfCalling
{
    public IReadOnlyList<int> All() => [1, 2, 3];

    public int One(int id) => All().First(x => x == id);

    public async Task<int> OneAsync(int id)
    {
        await Task.Yield();
        return One(id);
    }

    public int Sum() => Enumerable.Range(1, 3).Select(i => One(i)).Sum();

    public void Reset()
    {
    }

    public void Save() => Reset();
}

/// <summary>Calls through the service (as injected) and to methods without attributes: no bypass.</summary>
public sealed class ThroughTheService(Lazy<ISelfCalling> self) : ISelfCalling
{
    public IReadOnlyList<int> All() => Helper();

    public int One(int id) => self.Value.All().First(x => x == id);

    public Task<int> OneAsync(int id) => Task.FromResult(self.Value.One(id));

    public int Sum() => Helper().Sum();

    public void Reset()
    {
    }

    public void Save() => self.Value.Reset();

    private static IReadOnlyList<int> Helper() => [1, 2, 3];
}

public interface IGenericSelf<T>
{
    [CacheWithTags("G")]
    T Get();

    T Twice();
}

public sealed class GenericSelf<T> : IGenericSelf<T>
{
    public T Get() => default!;

    public T Twice() => Get();
}

[TestClass]
public sealed class SelfCallCheckTests
{
    [TestMethod]
    public void Find_CallsOfOwnCachedAndInvalidatingMethods_FindsEachCallerIncludingAsyncAndLambdas()
    {
        var findings = SelfCallCheck.Find(typeof(SelfCalling), [typeof(ISelfCalling)]);

        string[] expected =
        [
            "SelfCalling.One calls ISelfCalling.All",
            "SelfCalling.OneAsync calls ISelfCalling.One",
            "SelfCalling.Sum calls ISelfCalling.One",
            "SelfCalling.Save calls ISelfCalling.Reset",
        ];
        Assert.HasCount(expected.Length, findings, string.Join(Environment.NewLine, findings));
        foreach (var start in expected)
        {
            Assert.IsTrue(findings.Any(f => f.StartsWith(start, StringComparison.Ordinal)), start + " in:" + Environment.NewLine + string.Join(Environment.NewLine, findings));
        }

        StringAssert.Contains(findings[0], "bypasses TagCache's proxy");
    }

    [TestMethod]
    public void Find_CallsThroughTheServiceOrToPlainMethods_FindsNothing()
    {
        Assert.IsEmpty(SelfCallCheck.Find(typeof(ThroughTheService), [typeof(ISelfCalling)]));
    }

    [TestMethod]
    public void Find_OpenGenericImplementation_FindsTheCall()
    {
        var findings = SelfCallCheck.Find(typeof(GenericSelf<>), [typeof(IGenericSelf<>)]);

        StringAssert.StartsWith(findings.Single(), "GenericSelf`1.Twice calls IGenericSelf`1.Get");
    }

    [TestMethod]
    public void Build_SelfCallingService_FailsUnlessAllowed()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<SelfCalling>().As<ISelfCalling>().SingleInstance().EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());
        Assert.HasCount(4, thrown.Problems);
        StringAssert.Contains(thrown.Problems[0], "options.AllowSelfCalls = true");

        var allowed = new ContainerBuilder();
        allowed.AddTagCache(o => o.AllowSelfCalls = true);
        allowed.RegisterType<SelfCalling>().As<ISelfCalling>().SingleInstance().EnableTagCaching();
        using var container = allowed.Build();
        Assert.AreEqual(6, container.Resolve<ISelfCalling>().Sum());
    }
}
