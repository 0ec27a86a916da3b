using TagCache.Interception.Handlers;
using TagCache.Interception.Planning;
using TagCache.Testing;

namespace TagCache.Interception.Tests.Planning;

public interface IPlannedService
{
    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}")]
    Product Tagged(int id);

    [CacheWithTags("A")]
    int DeclaredTwice(int id);

    [CacheWithTags("A")]
    T Generic<T>(int id);

    [CacheWithTags("A")]
    IAsyncEnumerable<int> Stream(int id);

    [InvalidateTags("A")]
    void ByRef(ref int id);

    [CacheWithTags("A", Cache = "catalog")]
    int Named(int id);

    int Plain(int id);
}

public sealed class PlannedService : IPlannedService
{
    public Product Tagged(int id) => new(id, "x", 1);

    [CacheWithTags("B")]
    public int DeclaredTwice(int id) => id;

    public T Generic<T>(int id) => default!;

    public IAsyncEnumerable<int> Stream(int id) => throw new NotSupportedException();

    public void ByRef(ref int id) => id++;

    public int Named(int id) => id;

    public int Plain(int id) => id;
}

[TestClass]
public sealed class MethodPlannerTests
{
    private static readonly TargetIdentity Target = new(typeof(PlannedService), nameof(PlannedService));

    private static (MethodPlan? Plan, List<PlanProblem> Problems) Plan(string method)
    {
        using var provider = (TagCacheProvider)TagCacheFactory.Create(o => o.AddCache("catalog"));
        var problems = new List<PlanProblem>();
        var plan = new MethodPlanner(CacheCatalog.Of(provider), CacheFaults.None).Plan(typeof(IPlannedService).GetMethod(method)!, Target, problems);
        return (plan, problems);
    }

    [TestMethod]
    public void Plan_NoAttributes_PassesThrough()
    {
        var (plan, problems) = Plan(nameof(IPlannedService.Plain));

        Assert.IsEmpty(problems);
        Assert.IsNotNull(plan);
        Assert.IsNull(plan.Handler);
    }

    [TestMethod]
    public void Plan_ResultTag_SplitsArgumentTagsFromResultTags()
    {
        var (plan, _) = Plan(nameof(IPlannedService.Tagged));

        var options = plan!.Cache!.CreateOptions([5], unwrap: null, scope: null);

        CollectionAssert.AreEqual(new[] { "Product_5" }, options.Tags.ToArray());
        CollectionAssert.AreEqual(new[] { "Category_9" }, options.ResultTags!(new Product(5, "x", 9)).ToArray());
        Assert.IsNull(options.Timeout);
    }

    [TestMethod]
    public void Plan_NamedCache_BindsThatStore()
    {
        using var provider = TagCacheFactory.Create(o => o.AddCache("catalog"));
        var plan = new MethodPlanner(CacheCatalog.Of(provider), CacheFaults.None).Plan(typeof(IPlannedService).GetMethod(nameof(IPlannedService.Named))!, Target, []);

        Assert.AreSame(provider.GetCache("catalog"), plan!.Cache!.Cache);
    }

    [TestMethod]
    [DataRow(nameof(IPlannedService.DeclaredTwice), "both the interface method and the implementing method")]
    [DataRow(nameof(IPlannedService.Generic), "generic methods")]
    [DataRow(nameof(IPlannedService.Stream), "IAsyncEnumerable<T>")]
    [DataRow(nameof(IPlannedService.ByRef), "by reference")]
    public void Plan_UnsupportedShape_ReportsProblem(string method, string expected)
    {
        var (plan, problems) = Plan(method);

        Assert.IsNull(plan);
        Assert.IsTrue(problems.Any(p => p.Method == $"IPlannedService.{method}" && p.Description.Contains(expected, StringComparison.Ordinal)), string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void Prepare_ServiceType_PlansEveryMethodAndCollectsAllProblems()
    {
        using var provider = (TagCacheProvider)TagCacheFactory.Create(o => o.AddCache("catalog"));
        var sut = new TagCacheInterceptor(provider);

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => sut.Prepare([typeof(IPlannedService)], Target));

        CollectionAssert.AreEquivalent(
            new[] { "IPlannedService.DeclaredTwice", "IPlannedService.Generic", "IPlannedService.Stream", "IPlannedService.ByRef" },
            thrown.Problems.Select(p => p[..p.IndexOf(':', StringComparison.Ordinal)]).Distinct().ToArray());
    }
}
