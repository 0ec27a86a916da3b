using System.Collections.Concurrent;

namespace TagCache.Examples.Web;

/// <summary>Stands in for a database and counts its reads, which the cache exists to avoid.</summary>
public sealed class ProductStore
{
    private readonly ConcurrentDictionary<int, Product> _products = new();
    private int _productLoads;
    private int _categoryLoads;

    /// <summary>Initializes a new instance of the <see cref="ProductStore"/> class with a few products.</summary>
    public ProductStore()
    {
        foreach (var product in new Product[] { new(1, "Tea", 10, 3.5m), new(2, "Coffee", 10, 4.0m), new(3, "Cake", 20, 5.25m) })
        {
            _products[product.Id] = product;
        }
    }

    /// <summary>Gets the read counts so far.</summary>
    public LoadStats Stats => new(Volatile.Read(ref _productLoads), Volatile.Read(ref _categoryLoads));

    /// <summary>Reads one product.</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product, or null.</returns>
    public async Task<Product?> LoadAsync(int id)
    {
        Interlocked.Increment(ref _productLoads);
        await Task.Yield();
        return _products.GetValueOrDefault(id);
    }

    /// <summary>Reads the products of a category.</summary>
    /// <param name="categoryId">The category id.</param>
    /// <returns>The products, by id.</returns>
    public async Task<IReadOnlyList<Product>> LoadCategoryAsync(int categoryId)
    {
        Interlocked.Increment(ref _categoryLoads);
        await Task.Yield();
        return [.. _products.Values.Where(p => p.CategoryId == categoryId).OrderBy(p => p.Id)];
    }

    /// <summary>Writes a product.</summary>
    /// <param name="product">The new state.</param>
    /// <returns>The state it replaced, or null for a new product.</returns>
    public async Task<Product?> SaveAsync(Product product)
    {
        await Task.Yield();
        Product? previous = null;
        _products.AddOrUpdate(product.Id, product, (_, old) =>
        {
            previous = old;
            return product;
        });
        return previous;
    }
}
