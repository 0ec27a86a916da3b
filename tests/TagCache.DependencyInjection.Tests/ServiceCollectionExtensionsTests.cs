using Castle.DynamicProxy;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

[TestClass]
public sealed class ServiceCollectionExtensionsTests
{
    private static ServiceCollection CreateServices(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        services.AddSingleton<UnknownCacheCounter>();
        services.AddTagCache(options => options.AddCache("catalog"));
        services.AddSingleton<ProductDatabase>();
        services.AddSingleton<CallCounter>();
        register(services);
        return services;
    }

    [TestMethod]
    [DataRow(ServiceLifetime.Transient)]
    [DataRow(ServiceLifetime.Scoped)]
    [DataRow(ServiceLifetime.Singleton)]
    public void AddTagCaching_TypeRegistration_KeepsLifetime(ServiceLifetime lifetime)
    {
        var services = CreateServices(s => s.Add(ServiceDescriptor.Describe(typeof(IProductService), typeof(ProductService), lifetime)));

        services.AddTagCaching<IProductService>(scope => scope.SharedAcrossScopes());

        var descriptor = services.Single(d => d.ServiceType == typeof(IProductService));
        Assert.AreEqual(lifetime, descriptor.Lifetime);
        Assert.IsNotNull(descriptor.ImplementationFactory);
    }

    [TestMethod]
    public void GetService_ScopedProxyDeclaredShared_OneInstancePerScopeAndCacheSharedAcrossScopes()
    {
        var services = CreateServices(s => s.AddScoped<IProductService, ProductService>());
        services.AddTagCaching<IProductService>(scope => scope.SharedAcrossScopes());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        IProductService first;
        using (var scope = provider.CreateScope())
        {
            first = scope.ServiceProvider.GetRequiredService<IProductService>();
            Assert.AreSame(first, scope.ServiceProvider.GetRequiredService<IProductService>());
            first.GetProduct(1);
        }

        using var other = provider.CreateScope();
        var second = other.ServiceProvider.GetRequiredService<IProductService>();
        second.GetProduct(1);

        Assert.AreNotSame(first, second);
        Assert.IsTrue(Wrapping.IsWrapped(second));
        Assert.AreEqual(1, provider.GetRequiredService<CallCounter>()[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void GetService_TransientProxy_NewInstanceEachTime()
    {
        var services = CreateServices(s => s.AddTransient<IProductService, ProductService>());
        services.AddTagCaching<IProductService>();
        using var provider = services.BuildServiceProvider();

        var first = provider.GetRequiredService<IProductService>();
        var second = provider.GetRequiredService<IProductService>();

        Assert.AreNotSame(Wrapping.Unwrap(first), Wrapping.Unwrap(second));
    }

    [TestMethod]
    public void GetService_InstanceRegistration_ProxiesThatInstance()
    {
        var database = new ProductDatabase();
        var target = new ProductService(database, new CallCounter());
        var services = CreateServices(s => s.AddSingleton<IProductService>(target));
        services.AddTagCaching<IProductService>();
        using var provider = services.BuildServiceProvider();

        var products = provider.GetRequiredService<IProductService>();
        products.GetProduct(1);
        database.Put(new Product(1, "Changed", 10));

        Assert.AreSame(target, Wrapping.Unwrap(products));
        Assert.AreEqual("Tea", products.GetProduct(1).Name);
    }

    [TestMethod]
    public void GetService_FactoryRegistration_InvalidationWorksThroughProxy()
    {
        var services = CreateServices(s => s.AddSingleton<IProductService>(sp => new ProductService(sp.GetRequiredService<ProductDatabase>(), sp.GetRequiredService<CallCounter>())));
        services.AddTagCaching<IProductService>();
        using var provider = services.BuildServiceProvider();
        var products = provider.GetRequiredService<IProductService>();

        products.GetProduct(1);
        products.Save(new Product(1, "Green tea", 10));

        Assert.AreEqual("Green tea", products.GetProduct(1).Name);
        Assert.AreEqual(2, provider.GetRequiredService<CallCounter>()[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void Dispose_ScopedTargetCreatedByContainer_IsDisposedThroughProxy()
    {
        var services = CreateServices(s => s.AddScoped<ICounterService, DisposableCounter>());
        services.AddTagCaching<ICounterService>();
        using var provider = services.BuildServiceProvider();

        DisposableCounter target;
        using (var scope = provider.CreateScope())
        {
            target = (DisposableCounter)Wrapping.Unwrap(scope.ServiceProvider.GetRequiredService<ICounterService>())!;
        }

        Assert.IsTrue(target.Disposed);
    }

    [TestMethod]
    public void AddTagCaching_BrokenService_ThrowsAtRegistrationListingProblems()
    {
        var services = CreateServices(s => s.AddSingleton<IBrokenService, BrokenService>());

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IBrokenService>());

        Assert.IsGreaterThan(5, exception.Problems.Count);
        Assert.Contains("IBrokenService.UnknownParameter", exception.Message);
        Assert.DoesNotContain("IBrokenService.UnknownCache", exception.Message, "cache names are options, known only at the first resolve");
    }

    [TestMethod]
    public void GetService_CacheNameNotConfigured_FailsAtFirstResolveNamingMethodAndFix()
    {
        var services = CreateServices(s => s.AddSingleton<IUnknownCacheService, UnknownCacheService>());
        services.AddTagCaching<IUnknownCacheService>();
        using var provider = services.BuildServiceProvider();

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<IUnknownCacheService>());

        Assert.Contains("IUnknownCacheService.Get", exception.Message);
        Assert.Contains("options.AddCache(\"nope\")", exception.Message);
    }

    [TestMethod]
    public void AddTagCache_ConfiguredInAnyOrderAndMoreThanOnce_AllConfigurationApplies()
    {
        var services = new ServiceCollection();
        services.AddSingleton<UnknownCacheCounter>();
        services.AddSingleton<IUnknownCacheService, UnknownCacheService>();
        services.AddTagCache(o => o.AddCache("first"));
        services.AddTagCaching<IUnknownCacheService>();
        services.AddTagCache(o => o.DefaultTimeout = TimeSpan.FromMinutes(5));
        services.Configure<TagCacheOptions>(o => o.AddCache("nope"));
        using var provider = services.BuildServiceProvider();

        var service = provider.GetRequiredService<IUnknownCacheService>();
        var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<TagCacheOptions>>().Value;

        Assert.AreEqual(1, service.Get(1));
        Assert.AreEqual(1, service.Get(1));
        CollectionAssert.IsSubsetOf(new[] { "default", "first", "nope" }, options.CacheNames.ToArray());
        Assert.AreEqual(TimeSpan.FromMinutes(5), options.DefaultTimeout);
        Assert.AreSame(options, provider.GetRequiredService<TagCacheOptions>());
        Assert.AreEqual(1, provider.GetRequiredService<UnknownCacheCounter>().Calls, "one target call: the second was a hit in the named cache");
    }

    [TestMethod]
    public void AddTagCaching_NotRegistered_ThrowsNamingService()
    {
        var services = CreateServices(_ => { });

        var exception = Assert.ThrowsExactly<InvalidOperationException>(() => services.AddTagCaching<IProductService>());

        Assert.Contains("IProductService is not registered", exception.Message);
    }

    [TestMethod]
    public void AddTagCaching_WithoutAddTagCache_ThrowsExplainingOrder()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IProductService, ProductService>();

        var exception = Assert.ThrowsExactly<InvalidOperationException>(() => services.AddTagCaching<IProductService>());

        Assert.Contains("AddTagCache()", exception.Message);
    }

    [TestMethod]
    public void AddTagCaching_CalledTwice_ProxiesOnce()
    {
        var services = CreateServices(s => s.AddSingleton<IProductService, ProductService>());

        services.AddTagCaching<IProductService>();
        services.AddTagCaching<IProductService>();
        using var provider = services.BuildServiceProvider();
        var products = provider.GetRequiredService<IProductService>();

        Assert.IsFalse(Wrapping.IsWrapped(Wrapping.Unwrap(products)));
    }

    [TestMethod]
    public void AddTagCache_CalledTwice_RegistersOnceAndConfiguresSameOptions()
    {
        var services = new ServiceCollection();

        services.AddTagCache(o => o.AddCache("first"));
        services.AddTagCache(o => o.AddCache("second"));
        using var provider = services.BuildServiceProvider();

        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(ITagCacheProvider)));
        Assert.AreEqual(1, services.Count(d => d.ServiceType == typeof(TagCacheOptions)));
        Assert.IsNotNull(provider.GetRequiredService<ITagCacheProvider>().GetCache("second"));
        Assert.AreSame(provider.GetRequiredService<ITagCacheProvider>().GetCache(TagCacheOptions.DefaultCacheName), provider.GetRequiredService<ITagCache>());
    }

    public sealed class DisposableCounter : ICounterService, IDisposable
    {
        public bool Disposed { get; private set; }

        public int Next(int id) => id;

        public int Peek(int id) => id;

        public void Dispose() => Disposed = true;
    }
}

public interface IUnknownCacheService
{
    [CacheWithTags("Thing_{id}", Cache = "nope")]
    int Get(int id);
}

public sealed class UnknownCacheCounter
{
    public int Calls { get; set; }
}

public sealed class UnknownCacheService(UnknownCacheCounter counter) : IUnknownCacheService
{
    public int Get(int id)
    {
        counter.Calls++;
        return id;
    }
}
