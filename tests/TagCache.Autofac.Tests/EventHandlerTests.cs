using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

[TestClass]
public sealed class EventHandlerTests
{
    [TestMethod]
    public void Handle_AttributeOnImplementingMethod_InvalidatesEventTags()
    {
        using var sut = CreateSut();
        sut.Products.GetProduct(1);
        sut.Products.GetProduct(2);
        sut.Database.Put(new Product(1, "Green tea", 10));

        sut.Resolve<IHandle<ProductRenamed>>().Handle(new ProductRenamed(1, 10));
        var renamed = sut.Products.GetProduct(1);
        sut.Products.GetProduct(2);

        Assert.AreEqual("Green tea", renamed.Name);
        Assert.AreEqual(3, sut.Calls[nameof(IProductService.GetProduct)], "only product 1 is loaded again");
        Assert.AreEqual(1, sut.Calls[nameof(ProductRenamedHandler.Handle)]);
    }

    [TestMethod]
    public void Handle_HandlerThrows_InvalidatesNothing()
    {
        using var sut = CreateSut();
        var handler = sut.Resolve<ProductRenamedHandler>();
        handler.FailWith = new InvalidOperationException("handler failed");
        sut.Products.GetProduct(1);

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => sut.Resolve<IHandle<ProductRenamed>>().Handle(new ProductRenamed(1, 10)));
        sut.Products.GetProduct(1);

        Assert.AreSame(handler.FailWith, thrown);
        Assert.AreEqual(1, sut.Calls[nameof(IProductService.GetProduct)]);
    }

    [TestMethod]
    public async Task HandleAsync_AttributeOnInterface_InvalidatesAfterTaskCompletes()
    {
        using var sut = CreateSut();
        sut.Products.GetProduct(1);
        sut.Products.ListCategory(10);

        await sut.Resolve<IAsyncProductEvents>().HandleAsync(new ProductRenamed(1, 10), CancellationToken.None);
        sut.Products.GetProduct(1);
        sut.Products.ListCategory(10);

        Assert.AreEqual(2, sut.Calls[nameof(IProductService.GetProduct)]);
        Assert.AreEqual(2, sut.Calls[nameof(IProductService.ListCategory)]);
    }

    private static CatalogContainer CreateSut() => new(builder =>
    {
        builder.RegisterType<ProductRenamedHandler>().AsSelf().SingleInstance();
        builder.Register(c => c.Resolve<ProductRenamedHandler>())
            .As<IHandle<ProductRenamed>>()
            .As<IAsyncProductEvents>()
            .SingleInstance()
            .EnableTagCaching();
    });
}
