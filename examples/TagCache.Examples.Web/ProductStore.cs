namespace TagCache.Examples.Web;

/// <summary>Stands in for the data layer and counts its reads, which the cache exists to avoid.</summary>
/// <param name="table">Where the products are kept: in memory, or in PostgreSQL when several instances share them.</param>
public sealed class ProductStore(IProductTable table)
{
    private int _productLoads;
    private int _categoryLoads;

    /// <summary>Gets the read counts so far.</summary>
    public LoadStats Stats => new(Volatile.Read(ref _productLoads), Volatile.Read(ref _categoryLoads));

    /// <summary>Reads one product.</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product, or null.</returns>
    public Task<Product?> LoadAsync(int id)
    {
        Interlocked.Increment(ref _productLoads);
        return table.GetAsync(id);
    }

    /// <summary>Reads the products of a category.</summary>
    /// <param name="categoryId">The category id.</param>
    /// <returns>The products, by id.</returns>
    public Task<IReadOnlyList<Product>> LoadCategoryAsync(int categoryId)
    {
        Interlocked.Increment(ref _categoryLoads);
        return table.InCategoryAsync(categoryId);
    }

    /// <summary>Writes a product.</summary>
    /// <param name="product">The new state.</param>
    /// <returns>The state it replaced, or null for a new product.</returns>
    public Task<Product?> SaveAsync(Product product) => table.UpsertAsync(product);
}
