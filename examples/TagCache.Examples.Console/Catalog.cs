namespace TagCache.Examples.Console;

public sealed record Product(int Id, string Name, int CategoryId);

public interface IProductCatalog
{
    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}", Timeout = 3600)]
    Product GetProduct(int id);

    [CacheWithTags("Category_{categoryId}", Cache = "listings")]
    Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId);

    // Runs after SaveAsync's task completes successfully; nothing is invalidated if it throws.
    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}")]
    [InvalidateTags("Category_{product.CategoryId}", Cache = "listings")]
    Task SaveAsync(Product product);
}

public sealed class ProductCatalog(FakeDatabase database) : IProductCatalog
{
    private readonly Dictionary<int, Product> _products = new()
    {
        [1] = new Product(1, "Tea", 10),
        [2] = new Product(2, "Coffee", 10),
        [3] = new Product(3, "Cake", 20),
    };

    public Product GetProduct(int id) => database.Read(() => _products[id]);

    public Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId) =>
        database.ReadAsync<IReadOnlyList<Product>>(() => [.. _products.Values.Where(p => p.CategoryId == categoryId)]);

    public async Task SaveAsync(Product product)
    {
        await Task.Yield();
        _products[product.Id] = product;
    }
}
