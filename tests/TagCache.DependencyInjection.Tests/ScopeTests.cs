using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>
/// Per-scope state in keys with Microsoft DI: a scoped service's entries vary by its scope's tenant when declared, are
/// shared only when declared so, and a scoped (or scope-dependent transient) service that declares neither fails
/// AddTagCaching.
/// </summary>
[TestClass]
public sealed class ScopeTests
{
    [TestMethod]
    public void AddTagCaching_ScopedUndeclared_FailsNamingServiceLifetimeAndBothFixes()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IInvoices>());

        var problem = thrown.Problems.Single();
        StringAssert.Contains(problem, "IInvoices: it is registered Scoped");
        StringAssert.Contains(problem, "IInvoices.List, IInvoices.ListAsync, IInvoices.GetAsync would share entries across scopes");
        StringAssert.Contains(problem, "services.AddTagCaching<IInvoices>(scope => scope.VaryBy((TenantContext s) => s.TenantId))");
        StringAssert.Contains(problem, "services.AddTagCaching<IInvoices>(scope => scope.SharedAcrossScopes())");
    }

    [TestMethod]
    public void AddTagCaching_TransientWithScopedDependency_FailsNamingTheDependency()
    {
        var services = Services(s => s.AddTransient<IInvoices, InvoiceService>());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IInvoices>());

        StringAssert.Contains(thrown.Problems.Single(), "it is registered Transient and depends on TenantContext, which is registered Scoped");
    }

    [TestMethod]
    public void AddTagCaching_TransientWhoseTransientDependencyIsScopedBelow_Fails()
    {
        var services = Services(s => s.AddTransient<InvoiceService>().AddTransient<IInvoices, TransientInvoices>());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IInvoices>());

        StringAssert.Contains(thrown.Problems.Single(), "depends on TenantContext, which is registered Scoped");
    }

    [TestMethod]
    [DataRow(ServiceLifetime.Singleton)]
    [DataRow(ServiceLifetime.Transient)]
    public void AddTagCaching_NoPerScopeStateTheContainerCanSee_StaysQuiet(ServiceLifetime lifetime)
    {
        var services = new ServiceCollection()
            .AddTagCache()
            .AddSingleton<TenantContext>()
            .AddSingleton<InvoiceStore>();
        services.Add(ServiceDescriptor.Describe(typeof(IInvoices), typeof(InvoiceService), lifetime));

        services.AddTagCaching<IInvoices>();
        using var provider = services.BuildServiceProvider();

        Assert.IsNotNull(provider.GetRequiredService<IInvoices>().List(1));
    }

    [TestMethod]
    public async Task VaryBy_TwoTenants_EachGetsOnlyItsOwnValues()
    {
        using var provider = Build(scope => scope.VaryBy((TenantContext t) => t.TenantId));
        var store = provider.GetRequiredService<InvoiceStore>();
        store.Add("acme", 1, "A-1");
        store.Add("globex", 1, "G-1");

        var (acme, globex) = (Tenant(provider, "acme"), Tenant(provider, "globex"));

        CollectionAssert.AreEqual(new[] { "A-1" }, acme.List(1).ToArray());
        CollectionAssert.AreEqual(new[] { "G-1" }, globex.List(1).ToArray());
        CollectionAssert.AreEqual(new[] { "A-1" }, (await acme.ListAsync(1)).ToArray());
        CollectionAssert.AreEqual(new[] { "G-1" }, (await globex.ListAsync(1)).ToArray());
        Assert.AreEqual("acme:7", await acme.GetAsync(7));
        Assert.AreEqual("globex:7", await globex.GetAsync(7));
    }

    [TestMethod]
    public void VaryBy_SameTenantInTwoScopes_SharesEntries()
    {
        using var provider = Build(scope => scope.VaryBy((TenantContext t) => t.TenantId));
        var store = provider.GetRequiredService<InvoiceStore>();

        Tenant(provider, "acme").List(1);
        Tenant(provider, "acme").List(1);

        Assert.AreEqual(1, store.Reads);
    }

    [TestMethod]
    public void VaryBy_TenantSetAfterTheServiceWasResolved_KeyFollowsTheValueAtCallTime()
    {
        using var provider = Build(scope => scope.VaryBy((TenantContext t) => t.TenantId));
        var store = provider.GetRequiredService<InvoiceStore>();
        store.Add("acme", 1, "A-1");
        using var scope = provider.CreateScope();
        var invoices = scope.ServiceProvider.GetRequiredService<IInvoices>();
        var tenant = scope.ServiceProvider.GetRequiredService<TenantContext>();

        tenant.TenantId = "globex";
        var first = invoices.List(1);
        tenant.TenantId = "acme";
        var second = invoices.List(1);

        Assert.IsEmpty(first);
        CollectionAssert.AreEqual(new[] { "A-1" }, second.ToArray());
    }

    [TestMethod]
    public void SharedAcrossScopes_TwoTenants_ShareOneEntryAsDeclared()
    {
        using var provider = Build(scope => scope.SharedAcrossScopes());
        var store = provider.GetRequiredService<InvoiceStore>();

        Tenant(provider, "acme").List(1);
        Tenant(provider, "globex").List(1);

        Assert.AreEqual(1, store.Reads);
    }

    [TestMethod]
    public void OptionsScope_VaryByForEveryCache_AppliesToServicesThatDeclareNothing()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>(), o => o.Scope.VaryBy((TenantContext t) => t.TenantId));
        services.AddTagCaching<IInvoices>();
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        provider.GetRequiredService<InvoiceStore>().Add("acme", 1, "A-1");

        Assert.HasCount(1, Tenant(provider, "acme").List(1));
        Assert.IsEmpty(Tenant(provider, "globex").List(1));
    }

    [TestMethod]
    public void NamedCacheScope_VaryBy_AppliesToThatCacheOnly()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>(), o => o.AddCache(TagCacheOptions.DefaultCacheName, c => c.Scope.VaryBy((TenantContext t) => t.TenantId)));

        services.AddTagCaching<IInvoices>();
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<InvoiceStore>().Add("acme", 1, "A-1");

        Assert.HasCount(1, Tenant(provider, "acme").List(1));
        Assert.IsEmpty(Tenant(provider, "globex").List(1));
    }

    [TestMethod]
    public void Invalidate_TagsNotPartitioned_ReachesEveryTenant()
    {
        using var provider = Build(scope => scope.VaryBy((TenantContext t) => t.TenantId));
        var store = provider.GetRequiredService<InvoiceStore>();
        Tenant(provider, "acme").List(1);
        Tenant(provider, "globex").List(1);

        Tenant(provider, "acme").Add(1, "A-2");
        Tenant(provider, "globex").List(1);

        Assert.AreEqual(3, store.Reads, "globex's entry went with acme's invalidation: over-invalidation, never stale");
    }

    [TestMethod]
    public void Invalidate_PartitionedTags_ReachesOnlyTheInvalidatingTenantUnlessInvalidatedFromOutside()
    {
        using var provider = Build(scope =>
        {
            scope.VaryBy((TenantContext t) => t.TenantId);
            scope.PartitionTags = true;
        });
        var store = provider.GetRequiredService<InvoiceStore>();
        Tenant(provider, "acme").List(1);
        Tenant(provider, "globex").List(1);

        Tenant(provider, "acme").Add(1, "A-2");
        CollectionAssert.AreEqual(new[] { "A-2" }, Tenant(provider, "acme").List(1).ToArray());
        Tenant(provider, "globex").List(1);
        Assert.AreEqual(3, store.Reads, "only acme's entry was recomputed");

        provider.GetRequiredService<ITagCache>().InvalidateTags("Invoices_1");
        Tenant(provider, "acme").List(1);
        Tenant(provider, "globex").List(1);
        Assert.AreEqual(5, store.Reads, "a plain invalidation reaches every tenant");
    }

    [TestMethod]
    public void VaryBy_TwoValues_KeysVaryByBoth()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>().AddScoped<UserContext>());
        services.AddTagCaching<IInvoices>(scope => scope.VaryBy((TenantContext t) => t.TenantId).VaryBy((UserContext u) => u.UserId));
        using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<InvoiceStore>();

        Call("acme", 1);
        Call("acme", 2);
        Call("acme", 1);

        Assert.AreEqual(2, store.Reads);

        void Call(string tenant, int user)
        {
            using var scope = provider.CreateScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().TenantId = tenant;
            scope.ServiceProvider.GetRequiredService<UserContext>().UserId = user;
            scope.ServiceProvider.GetRequiredService<IInvoices>().List(1);
        }
    }

    [TestMethod]
    public void VaryBy_StateNotRegistered_FailsWhenTheCachesAreMade()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>());
        services.AddTagCaching<IInvoices>(scope => scope.VaryBy((UserContext u) => u.UserId));
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<TagCacheProvider>());

        StringAssert.Contains(thrown.Problems.Single(), "its entries vary by UserContext (VaryBy), but UserContext is not registered");
    }

    [TestMethod]
    public void VaryBy_SingletonReadingScopedState_FailsAsTheRootWouldAnswer()
    {
        var services = Services(s => s.AddSingleton<IInvoices, InvoiceService>());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IInvoices>(scope => scope.VaryBy((TenantContext t) => t.TenantId)));

        StringAssert.Contains(thrown.Problems.Single(), "it is registered Singleton and its entries vary by TenantContext, which is registered Scoped");
    }

    [TestMethod]
    public void VaryBy_ValueTypeWithoutStableText_ThrowsAtOnce()
    {
        var scope = new TagCacheScopeOptions();

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => scope.VaryBy((TenantContext t) => t));

        StringAssert.Contains(thrown.Message, "keys can vary by a string, number, Guid");
    }

    [TestMethod]
    public void Declare_BothVaryByAndShared_FailsAsContradictory()
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>());

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() =>
            services.AddTagCaching<IInvoices>(scope => scope.VaryBy((TenantContext t) => t.TenantId).SharedAcrossScopes()));

        StringAssert.Contains(thrown.Message, "declares both SharedAcrossScopes() and VaryBy(...)");
    }

    [TestMethod]
    public void FirstResolve_ServiceWithTagCacheMethodsNotProxied_FailsNamingTheFix()
    {
        using var provider = Services(s => s.AddSingleton<IInvoices, InvoiceService>()).BuildServiceProvider();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<ITagCache>());

        StringAssert.Contains(thrown.Problems.Single(), "IInvoices (implemented by InvoiceService) is registered without TagCache's proxy");
        StringAssert.Contains(thrown.Problems.Single(), "services.AddTagCaching<IInvoices>()");
    }

    [TestMethod]
    public async Task HostStart_ServiceWithTagCacheMethodsNotProxied_FailsBeforeAnyRequest()
    {
        using var provider = Services(s => s.AddSingleton<IInvoices, InvoiceService>()).BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToList();

        await Assert.ThrowsExactlyAsync<TagCacheConfigurationException>(async () =>
        {
            foreach (var service in hosted)
            {
                await service.StartAsync(CancellationToken.None);
            }
        });
    }

    [TestMethod]
    public void FirstResolve_NotProxiedButAllowed_LogsAWarning()
    {
        var logs = new LogCapture();
        using var provider = Services(s => s.AddSingleton<IInvoices, InvoiceService>().AddSingleton(logs.Factory), o => o.AllowUnproxiedServices = true).BuildServiceProvider();

        provider.GetRequiredService<ITagCache>();

        var warning = logs.Records.Single(e => e.Id.Id == 202);
        Assert.AreEqual(LogLevel.Warning, warning.Level);
        StringAssert.Contains(warning.Message, "IInvoices (implemented by InvoiceService) is registered without TagCache's proxy");
    }

    private static IServiceCollection Services(Action<IServiceCollection> register, Action<TagCacheOptions>? configure = null)
    {
        var services = new ServiceCollection()
            .AddTagCache(configure)
            .AddScoped<TenantContext>()
            .AddSingleton<InvoiceStore>();
        register(services);
        return services;
    }

    private static ServiceProvider Build(Action<TagCacheScopeOptions> scope)
    {
        var services = Services(s => s.AddScoped<IInvoices, InvoiceService>());
        services.AddTagCaching<IInvoices>(scope);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    /// <summary>The service as one request of the tenant sees it (its scope stays open for the test's lifetime).</summary>
    private static IInvoices Tenant(IServiceProvider provider, string tenant)
    {
        var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().TenantId = tenant;
        return scope.ServiceProvider.GetRequiredService<IInvoices>();
    }
}
