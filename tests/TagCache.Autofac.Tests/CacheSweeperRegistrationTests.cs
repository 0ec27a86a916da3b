using Autofac;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class CacheSweeperRegistrationTests
{
    [TestMethod]
    public void AddTagCache_Autofac_ResolvedSweeperInvalidatesCachedMethods()
    {
        using var sut = new CatalogContainer(builder => builder.AddTagCache(o => o
            .InvalidateOn<ProductRenamed>(e => [$"Product_{e.ProductId}"])
            .InvalidateOn<ProductRenamed>(e => [$"Product_{e.ProductId}"], cache: "catalog")));
        sut.Products.GetProduct(1);
        sut.Products.GetFromCatalogCache(1);

        sut.Resolve<ICacheSweeper>().Sweep(new ProductRenamed(1, 10));
        sut.Products.GetProduct(1);
        sut.Products.GetFromCatalogCache(1);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetFromCatalogCache)]);
    }

    [TestMethod]
    public void AddTagCache_Autofac_SweeperIsSingleInstance()
    {
        using var sut = new CatalogContainer();

        Assert.AreSame(sut.Resolve<ICacheSweeper>(), sut.Resolve<ICacheSweeper>());
        Assert.AreSame(TagCacheFactory.GetSweeper(sut.Caches), sut.Resolve<ICacheSweeper>());
    }

    [TestMethod]
    public void Build_Autofac_InvalidateOnUnknownCache_FailsNamingEventTypeAndFix()
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.InvalidateOn<ProductRenamed>(e => [$"Product_{e.ProductId}"], cache: "listings"));

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        StringAssert.Contains(thrown.Message, "InvalidateOn<ProductRenamed>");
        StringAssert.Contains(thrown.Message, "options.AddCache(\"listings\")");
    }

}
