namespace TagCache.Examples.Web;

/// <summary>The catalog as the endpoints see it; TagCache caches and invalidates it through these attributes.</summary>
public interface ICatalogService
{
    /// <summary>Gets a product.</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product, or null.</returns>
    [CacheWithTags("Product_{id}", Timeout = 600)]
    Task<Product?> GetProductAsync(int id);

    /// <summary>Lists a category.</summary>
    /// <param name="categoryId">The category id.</param>
    /// <returns>The category's products.</returns>
    [CacheWithTags("Category_{categoryId}", Timeout = 600)]
    Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId);

    /// <summary>
    /// Saves a product. Once saved, the product, its new category and (through the result) the category it left are
    /// invalidated, so the next reads load fresh data.
    /// </summary>
    /// <param name="product">The new state.</param>
    /// <returns>The state it replaced, or null for a new product.</returns>
    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}", "Category_{result.CategoryId}")]
    Task<Product?> SaveAsync(Product product);
}

/// <summary>Reads and writes the store; knows nothing about caching.</summary>
/// <param name="store">The data store.</param>
public sealed class CatalogService(ProductStore store) : ICatalogService
{
    /// <inheritdoc/>
    public Task<Product?> GetProductAsync(int id) => store.LoadAsync(id);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Product>> ListCategoryAsync(int categoryId) => store.LoadCategoryAsync(categoryId);

    /// <inheritdoc/>
    public Task<Product?> SaveAsync(Product product) => store.SaveAsync(product);
}
