namespace TagCache.Examples.Console;

/// <summary>Stands in for a database; prints each time it really runs, so hits are the calls that print nothing.</summary>
public sealed class ProductService : IProductService
{
    private readonly Dictionary<int, Product> _products = new()
    {
        [1] = new Product(1, "Tea", 10),
        [2] = new Product(2, "Coffee", 10),
        [3] = new Product(3, "Cake", 20),
    };

    public Product GetProduct(int id)
    {
        System.Console.WriteLine($"    (database) loading product {id}");
        return _products[id];
    }

    public async Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId)
    {
        System.Console.WriteLine($"    (database) listing category {categoryId}");
        await Task.Delay(10);
        return [.. _products.Values.Where(p => p.CategoryId == categoryId)];
    }

    public async Task SaveAsync(Product product)
    {
        System.Console.WriteLine($"    (database) saving product {product.Id}");
        await Task.Delay(10);
        _products[product.Id] = product;
    }
}
