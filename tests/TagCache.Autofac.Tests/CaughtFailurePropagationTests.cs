using Autofac;
using TagCache.Testing;

namespace TagCache.Autofac.Tests;

public interface IProductLabels
{
    [CacheWithTags("Label_{id}")]
    string Label(int id);

    [CacheWithTags("Label_{id}")]
    Task<string> LabelAsync(int id);

    [CacheWithTags("Label_{id}")]
    ValueTask<string> LabelValueAsync(int id);
}

/// <summary>Catches the failure of a nested cached call and renders a fallback instead.</summary>
public sealed class ProductLabels(IProductService products, IAsyncProductService asyncProducts) : IProductLabels
{
    public string Label(int id)
    {
        try
        {
            return products.GetProduct(id).Name;
        }
        catch (KeyNotFoundException)
        {
            return "missing";
        }
    }

    public async Task<string> LabelAsync(int id)
    {
        try
        {
            return (await asyncProducts.GetProductAsync(id)).Name;
        }
        catch (KeyNotFoundException)
        {
            return "missing";
        }
    }

    public async ValueTask<string> LabelValueAsync(int id)
    {
        try
        {
            return (await asyncProducts.GetProductValueAsync(id)).Name;
        }
        catch (KeyNotFoundException)
        {
            return "missing";
        }
    }
}

/// <summary>A caught failure of a nested cached call still makes the outer entry depend on its tags (rule 7 in docs/architecture.md).</summary>
[TestClass]
public sealed class CaughtFailurePropagationTests
{
    [TestMethod]
    [DataRow("sync")]
    [DataRow("Task")]
    [DataRow("ValueTask")]
    public async Task Label_NestedCallFailedAndWasCaught_InvalidatingItsTagRecomputes(string shape)
    {
        using var sut = new CatalogContainer(b => b.RegisterType<ProductLabels>().As<IProductLabels>().SingleInstance().EnableTagCaching());
        var labels = sut.Resolve<IProductLabels>();
        async Task<string> Label() => shape switch
        {
            "sync" => labels.Label(9),
            "Task" => await labels.LabelAsync(9),
            _ => await labels.LabelValueAsync(9),
        };

        Assert.AreEqual("missing", await Label());
        Assert.AreEqual("missing", await Label());

        var added = new Product(9, "Matcha", 10);
        sut.Database.Put(added);
        sut.Products.Save(added);

        Assert.AreEqual("Matcha", await Label());
    }
}
