namespace TagCache.Testing;

public interface IProductService
{
    [CacheWithTags("Product_{id}")]
    Product GetProduct(int id);

    [CacheWithTags("Category_{categoryId}", Key = "category:{categoryId}")]
    IReadOnlyList<Product> ListCategory(int categoryId);

    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}")]
    Product GetProductTaggedByCategory(int id);

    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}")]
    void Save(Product product);

    [InvalidateTags("Category_{categoryId}")]
    void TouchCategory(int categoryId);

    [InvalidateTags("Product_{id}")]
    [InvalidateTags("Product_{id}", Cache = "catalog")]
    void Reprice(int id);

    [CacheWithTags("Report_{id}")]
    [InvalidateTags("Product_{id}")]
    string Refresh(int id);

    [CacheWithTags("Product_{id}", Cache = "catalog")]
    Product GetFromCatalogCache(int id);

    [CacheWithTags("Product_{id}", Timeout = 60)]
    Product GetShortLived(int id);

    Product GetUncached(int id);

    [CacheWithTags("Product_{id}")]
    Product GetOrThrow(int id);

    [InvalidateTags("Product_{id}")]
    void FailToSave(int id);
}

public sealed class ProductService(ProductDatabase database, CallCounter calls) : IProductService
{
    public InvalidOperationException Failure { get; } = new("The database is down.");

    public Product GetProduct(int id)
    {
        calls.Hit();
        return database.Get(id);
    }

    public IReadOnlyList<Product> ListCategory(int categoryId)
    {
        calls.Hit();
        return database.InCategory(categoryId);
    }

    public Product GetProductTaggedByCategory(int id)
    {
        calls.Hit();
        return database.Get(id);
    }

    public void Save(Product product)
    {
        calls.Hit();
        database.Put(product);
    }

    public void TouchCategory(int categoryId) => calls.Hit();

    public void Reprice(int id) => calls.Hit();

    public string Refresh(int id)
    {
        calls.Hit();
        return "refreshed " + id;
    }

    public Product GetFromCatalogCache(int id)
    {
        calls.Hit();
        return database.Get(id);
    }

    public Product GetShortLived(int id)
    {
        calls.Hit();
        return database.Get(id);
    }

    public Product GetUncached(int id)
    {
        calls.Hit();
        return database.Get(id);
    }

    public Product GetOrThrow(int id)
    {
        calls.Hit();
        return id < 0 ? throw Failure : database.Get(id);
    }

    public void FailToSave(int id)
    {
        calls.Hit();
        throw Failure;
    }
}
