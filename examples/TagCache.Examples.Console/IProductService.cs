namespace TagCache.Examples.Console;

public sealed record Product(int Id, string Name, int CategoryId);

public interface IProductService
{
    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}", Timeout = 3600)]
    Product GetProduct(int id);

    [CacheWithTags("Category_{categoryId}", Cache = "listings")]
    Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId);

    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}")]
    [InvalidateTags("Category_{product.CategoryId}", Cache = "listings")]
    Task SaveAsync(Product product);
}
