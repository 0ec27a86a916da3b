using Autofac;
using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.Autofac.Tests.Telemetry;

public sealed record Order(int Id, int CustomerId);

public sealed record CustomerMoved(int CustomerId);

public interface IOrders
{
    [CacheWithTags("Customer_{customerId}", "Orders")]
    IReadOnlyList<Order> List(int customerId);

    [InvalidateTags("Customers_{o.CustomerId}")]
    void Update(Order o);
}

public interface IArchive
{
    [CacheWithTags("Year_{year}", Cache = "archive")]
    IReadOnlyList<Order> ByYear(int year);

    [InvalidateTags("Year_{year}")]
    void Close(int year);
}

/// <summary>Invalidations that can match cached tags, in every form the check must accept.</summary>
public interface IOrderEvents
{
    [InvalidateTags("Customer_{o.CustomerId}", "Orders")]
    void Placed(Order o);

    [InvalidateTags("Customer_42")]
    void ResetVip();

    [InvalidateTags("Year_{year}", Cache = "archive")]
    void Reopen(int year);
}

public sealed class Orders : IOrders, IArchive, IOrderEvents
{
    public IReadOnlyList<Order> List(int customerId) => [];

    public void Update(Order o)
    {
    }

    public IReadOnlyList<Order> ByYear(int year) => [];

    public void Close(int year)
    {
    }

    public void Placed(Order o)
    {
    }

    public void ResetVip()
    {
    }

    public void Reopen(int year)
    {
    }
}

/// <summary>
/// The build compares every invalidation template with the cached tag templates of its cache, and reports one that can
/// match nothing: an error by default (<see cref="TagCacheOptions.StrictInvalidation"/>), a Warning with it turned off.
/// </summary>
[TestClass]
public sealed class InvalidationCheckTests
{
    [TestMethod]
    public void Build_MistypedTagNotStrict_LogsWarningWithTheNearestCachedShape()
    {
        var logs = Build<IOrders>(o => o.StrictInvalidation = false);

        var warning = logs.Records.Single(e => e.Id.Id == 201);
        Assert.AreEqual(LogLevel.Warning, warning.Level);
        Assert.AreEqual("TagCache.Configuration", warning.Category);
        Assert.AreEqual(
            "TagCache: `[InvalidateTags(\"Customers_{o.CustomerId}\")]` on IOrders.Update matches no cached tag in cache 'default'; did you mean `Customer_{...}` (IOrders.List)?",
            warning.Message);
    }

    [TestMethod]
    public void Build_MistypedTag_FailsByDefaultNamingTheTemplateAndTheFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => Build<IOrders>());

        var problem = thrown.Problems.Single();
        StringAssert.Contains(problem, "`[InvalidateTags(\"Customers_{o.CustomerId}\")]` on IOrders.Update matches no cached tag in cache 'default'");
        StringAssert.Contains(problem, "did you mean `Customer_{...}` (IOrders.List)?");
        StringAssert.Contains(problem, "StrictInvalidation");
    }

    [TestMethod]
    public void Build_InvalidationMissingItsCache_SuggestsTheCacheThatHasTheTag()
    {
        var logs = Build<IArchive>(o => o.AddCache("archive").StrictInvalidation = false);

        var warning = logs.Records.Single(e => e.Id.Id == 201);
        StringAssert.Contains(warning.Message, "`[InvalidateTags(\"Year_{year}\")]` on IArchive.Close matches no cached tag in cache 'default'");
        StringAssert.Contains(warning.Message, "did you mean cache 'archive', where `Year_{...}` (IArchive.ByYear) is cached? If so, set Cache = \"archive\" on the attribute.");
    }

    [TestMethod]
    public void Build_InvalidationsThatCanMatch_LogNothing()
    {
        // Other parameter names, a literal value of a placeholder, a second tag, the right named cache, another service.
        var logs = Build(
            b =>
            {
                b.RegisterType<Orders>().As<IOrders>().EnableTagCaching();
                b.RegisterType<Orders>().As<IArchive>().EnableTagCaching();
                b.RegisterType<Orders>().As<IOrderEvents>().EnableTagCaching();
            },
            o => o.AddCache("archive").DeclareTags(["Customers_{...}"]).DeclareTags(["Year_{y}"]));

        Assert.AreEqual(0, logs.Records.Count(e => e.Id.Id == 201), string.Join(Environment.NewLine, logs.Records.Select(e => e.Message)));
    }

    [TestMethod]
    public void Build_InvalidateOnTemplateRuleThatMatchesNothing_IsReported()
    {
        var logs = Build<IOrders>(o => o
            .NotStrict()
            .DeclareTags(["Customers_{id}"])
            .InvalidateOn<CustomerMoved>("Custmer_{CustomerId}")
            .InvalidateOn<CustomerMoved>(e => [$"Nothing_{e.CustomerId}"]));

        var warning = logs.Records.Single(e => e.Id.Id == 201);
        Assert.AreEqual(
            "TagCache: `options.InvalidateOn<CustomerMoved>(\"Custmer_{CustomerId}\")` matches no cached tag in cache 'default'; did you mean `Customer_{...}` (IOrders.List)?",
            warning.Message,
            "a tag function cannot be checked, so only the template rule is reported");
    }

    [TestMethod]
    public void Build_NoCachedTagsAnywhere_SaysHowToDeclareRuntimeTags()
    {
        var logs = Build(b => b.RegisterType<Orders>().As<IOrderEvents>().EnableTagCaching(), o => o.AddCache("archive").StrictInvalidation = false);

        var warnings = logs.Records.Where(e => e.Id.Id == 201).ToList();
        Assert.AreEqual(4, warnings.Count, "one per template");
        Assert.IsTrue(warnings.All(w => w.Message.Contains("options.DeclareTags", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void Build_CatalogServices_LogNothing()
    {
        var logs = new LogCapture();

        using var catalog = new CatalogContainer(b => b.RegisterInstance(logs.Factory).As<ILoggerFactory>());

        Assert.AreEqual(string.Empty, string.Join(Environment.NewLine, logs.Records.Where(e => e.Id.Id == 201).Select(e => e.Message)));
    }

    [TestMethod]
    public void DeclareTags_UnclosedBrace_ThrowsAtOnce()
    {
        var options = new TagCacheOptions();

        Assert.ThrowsExactly<ArgumentException>(() => options.DeclareTags(["Product_{id"]));
    }

    [TestMethod]
    public void Build_ServiceWithoutAnyWrongInvalidation_BuildsByDefault()
    {
        var logs = Build(b => b.RegisterType<Orders>().As<IOrderEvents>().As<IOrders>().As<IArchive>().EnableTagCaching(), o => o.AddCache("archive").DeclareTags(["Customers_{id}"]).DeclareTags(["Year_{y}"]));

        Assert.AreEqual(0, logs.Records.Count(e => e.Id.Id == 201));
    }

    private static LogCapture Build<TService>(Action<TagCacheOptions>? configure = null)
        where TService : class =>
        Build(b => b.RegisterType<Orders>().As<TService>().EnableTagCaching(), configure);

    private static LogCapture Build(Action<ContainerBuilder> register, Action<TagCacheOptions>? configure)
    {
        var logs = new LogCapture();
        var builder = new ContainerBuilder();
        builder.AddTagCache(configure);
        builder.RegisterInstance(logs.Factory).As<ILoggerFactory>();
        register(builder);
        using var container = builder.Build();
        return logs;
    }
}

internal static class InvalidationCheckOptions
{
    public static TagCacheOptions NotStrict(this TagCacheOptions options)
    {
        options.StrictInvalidation = false;
        return options;
    }
}
