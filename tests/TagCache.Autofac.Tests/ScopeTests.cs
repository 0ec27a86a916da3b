using Autofac;
using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

/// <summary>
/// Per-scope state in keys with Autofac: a lifetime-scoped service's entries vary by its scope's tenant when declared, are
/// shared only when declared so, and one that declares neither fails the container build. Autofac's default lifetime
/// (per dependency) stays quiet unless it depends on something scoped.
/// </summary>
[TestClass]
public sealed class ScopeTests
{
    [TestMethod]
    public void Build_InstancePerLifetimeScopeUndeclared_FailsNamingServiceLifetimeAndBothFixes()
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerLifetimeScope().EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        var problem = thrown.Problems.Single();
        StringAssert.Contains(problem, "InvoiceService: it is registered InstancePerLifetimeScope");
        StringAssert.Contains(problem, ".EnableTagCaching(scope => scope.VaryBy((TenantContext s) => s.TenantId))");
        StringAssert.Contains(problem, ".EnableTagCaching(scope => scope.SharedAcrossScopes())");
    }

    [TestMethod]
    public void Build_InstancePerMatchingLifetimeScopeUndeclared_Fails()
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerMatchingLifetimeScope("request").EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Problems.Single(), "registered InstancePerMatchingLifetimeScope");
    }

    [TestMethod]
    public void Build_PerDependencyWithScopedDependency_FailsNamingTheDependency()
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Problems.Single(), "it is registered InstancePerDependency and depends on TenantContext, which is registered InstancePerLifetimeScope");
    }

    [TestMethod]
    public void Build_PerDependencyAndSingletonWithoutScopedState_StayQuiet()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<TenantContext>().SingleInstance();
        builder.RegisterType<InvoiceStore>().SingleInstance();
        builder.RegisterType<InvoiceService>().As<IInvoices>().EnableTagCaching();
        builder.RegisterType<EuroPrices>().As<IPriceSource>().SingleInstance().EnableTagCaching();

        using var container = builder.Build();

        Assert.IsEmpty(container.Resolve<IInvoices>().List(1));
    }

    [TestMethod]
    public async Task VaryBy_TwoTenants_EachGetsOnlyItsOwnValues()
    {
        using var container = Build(scope => scope.VaryBy((TenantContext t) => t.TenantId));
        var store = container.Resolve<InvoiceStore>();
        store.Add("acme", 1, "A-1");
        store.Add("globex", 1, "G-1");

        var (acme, globex) = (Tenant(container, "acme"), Tenant(container, "globex"));

        CollectionAssert.AreEqual(new[] { "A-1" }, acme.List(1).ToArray());
        CollectionAssert.AreEqual(new[] { "G-1" }, globex.List(1).ToArray());
        CollectionAssert.AreEqual(new[] { "A-1" }, (await acme.ListAsync(1)).ToArray());
        CollectionAssert.AreEqual(new[] { "G-1" }, (await globex.ListAsync(1)).ToArray());
        Assert.AreEqual("acme:7", await acme.GetAsync(7));
        Assert.AreEqual("globex:7", await globex.GetAsync(7));
        Assert.AreEqual("acme:7", await Tenant(container, "acme").GetAsync(7));
        Assert.AreEqual(6, store.Reads, "the third GetAsync of acme hit");
    }

    [TestMethod]
    public void OptionsScope_VaryByForEveryCache_CoversLifetimeScopedServices()
    {
        var builder = Builder(o => o.Scope.VaryBy((TenantContext t) => t.TenantId));
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerLifetimeScope().EnableTagCaching();
        using var container = builder.Build();
        container.Resolve<InvoiceStore>().Add("acme", 1, "A-1");

        Assert.HasCount(1, Tenant(container, "acme").List(1));
        Assert.IsEmpty(Tenant(container, "globex").List(1));
    }

    [TestMethod]
    public void Invalidate_PartitionedTags_ReachesOnlyTheInvalidatingTenant()
    {
        using var container = Build(scope =>
        {
            scope.VaryBy((TenantContext t) => t.TenantId);
            scope.PartitionTags = true;
        });
        var store = container.Resolve<InvoiceStore>();
        Tenant(container, "acme").List(1);
        Tenant(container, "globex").List(1);

        Tenant(container, "globex").Add(1, "G-2");
        Tenant(container, "acme").List(1);
        CollectionAssert.AreEqual(new[] { "G-2" }, Tenant(container, "globex").List(1).ToArray());

        Assert.AreEqual(3, store.Reads);
    }

    [TestMethod]
    public void SharedAcrossScopes_TwoTenants_ShareOneEntryAsDeclared()
    {
        using var container = Build(scope => scope.SharedAcrossScopes());

        Tenant(container, "acme").List(1);
        Tenant(container, "globex").List(1);

        Assert.AreEqual(1, container.Resolve<InvoiceStore>().Reads);
    }

    [TestMethod]
    public void Build_SingleInstanceVaryingByLifetimeScopedState_Fails()
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().SingleInstance().EnableTagCaching(scope => scope.VaryBy((TenantContext t) => t.TenantId));

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Problems.Single(), "it is registered SingleInstance and its entries vary by TenantContext, which is registered InstancePerLifetimeScope");
    }

    [TestMethod]
    public void Build_ServiceWithTagCacheMethodsNotProxied_FailsNamingTheFix()
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerLifetimeScope();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Problems.Single(), "IInvoices (implemented by InvoiceService) is registered without TagCache's proxy");
        StringAssert.Contains(thrown.Problems.Single(), "AllowUnproxiedServices");
    }

    [TestMethod]
    public void Build_NotProxiedButAllowed_LogsAWarning()
    {
        var logs = new LogCapture();
        var builder = Builder(o => o.AllowUnproxiedServices = true);
        builder.RegisterInstance(logs.Factory).As<ILoggerFactory>();
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerLifetimeScope();

        using var container = builder.Build();

        StringAssert.Contains(logs.Records.Single(e => e.Id.Id == 202).Message, "IInvoices (implemented by InvoiceService) is registered without TagCache's proxy");
    }

    private static ContainerBuilder Builder(Action<TagCacheOptions>? configure = null)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(configure);
        builder.RegisterType<TenantContext>().InstancePerLifetimeScope();
        builder.RegisterType<InvoiceStore>().SingleInstance();
        return builder;
    }

    private static IContainer Build(Action<TagCacheScopeOptions> scope)
    {
        var builder = Builder();
        builder.RegisterType<InvoiceService>().As<IInvoices>().InstancePerLifetimeScope().EnableTagCaching(scope);
        return builder.Build();
    }

    /// <summary>The service as one request of the tenant sees it (its scope ends with the container).</summary>
    private static IInvoices Tenant(IContainer container, string tenant)
    {
        var scope = container.BeginLifetimeScope();
        scope.Resolve<TenantContext>().TenantId = tenant;
        return scope.Resolve<IInvoices>();
    }
}
