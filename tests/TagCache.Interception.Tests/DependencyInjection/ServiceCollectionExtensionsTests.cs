using Castle.DynamicProxy;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception.Tests.Support;

namespace TagCache.Interception.Tests.DependencyInjection;

[TestClass]
public sealed class ServiceCollectionExtensionsTests
{
    private static ServiceCollection CreateServices(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
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

        services.AddTagCaching<IProductService>();

        var descriptor = services.Single(d => d.ServiceType == typeof(IProductService));
        Assert.AreEqual(lifetime, descriptor.Lifetime);
        Assert.IsNotNull(descriptor.ImplementationFactory);
    }

    [TestMethod]
    public void GetService_ScopedProxy_OneInstancePerScopeAndCacheSharedAcrossScopes()
    {
        var services = CreateServices(s => s.AddScoped<IProductService, ProductService>());
        services.AddTagCaching<IProductService>();
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
        Assert.IsTrue(ProxyUtil.IsProxy(second));
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

        Assert.AreNotSame(ProxyUtil.GetUnproxiedInstance(first), ProxyUtil.GetUnproxiedInstance(second));
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

        Assert.AreSame(target, ProxyUtil.GetUnproxiedInstance(products));
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
            target = (DisposableCounter)ProxyUtil.GetUnproxiedInstance(scope.ServiceProvider.GetRequiredService<ICounterService>())!;
        }

        Assert.IsTrue(target.Disposed);
    }

    [TestMethod]
    public void AddTagCaching_BrokenService_ThrowsAtRegistrationListingProblems()
    {
        var services = CreateServices(s => s.AddSingleton<IBrokenService, BrokenService>());

        var exception = Assert.ThrowsExactly<TagCacheConfigurationException>(() => services.AddTagCaching<IBrokenService>());

        Assert.IsGreaterThan(5, exception.Problems.Count);
        Assert.Contains("IBrokenService.UnknownCache", exception.Message);
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

        Assert.IsFalse(ProxyUtil.IsProxy(ProxyUtil.GetUnproxiedInstance(products)));
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
