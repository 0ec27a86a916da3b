using Autofac;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

[TestClass]
public sealed class CacheSweeperRegistrationTests
{
    [TestMethod]
    public async Task AddTagCache_MicrosoftDI_ResolvedSweeperInvalidatesCachedMethods()
    {
        var database = new ProductDatabase();
        var calls = new CallCounter();
        var services = new ServiceCollection();
        services.AddTagCache(o => o.AddCache("catalog").InvalidateOn<ProductRenamed>(e => [$"Product_{e.ProductId}"]));
        services.AddSingleton<IProductService>(new ProductService(database, calls));
        services.AddTagCaching<IProductService>();
        await using var provider = services.BuildServiceProvider();
        var products = provider.GetRequiredService<IProductService>();
        products.GetProduct(1);

        await provider.GetRequiredService<ICacheSweeper>().SweepAsync(new ProductRenamed(1, 10));
        products.GetProduct(1);

        Assert.AreEqual(2, calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public void GetService_MicrosoftDI_InvalidateOnUnknownCache_FailsAtFirstResolveNamingEventTypeAndFix()
    {
        var services = new ServiceCollection();
        services.AddTagCache(o => o.InvalidateOn<ProductRenamed>(e => [$"Product_{e.ProductId}"], cache: "listings"));
        services.AddSingleton<IProductService>(new ProductService(new ProductDatabase(), new CallCounter()));
        services.AddTagCaching<IProductService>();
        using var provider = services.BuildServiceProvider();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => provider.GetRequiredService<IProductService>());

        StringAssert.Contains(thrown.Message, "InvalidateOn<ProductRenamed>");
        StringAssert.Contains(thrown.Message, "options.AddCache(\"listings\")");
    }
}
