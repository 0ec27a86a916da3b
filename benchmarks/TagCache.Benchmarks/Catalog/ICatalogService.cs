namespace TagCache.Benchmarks.Catalog;

/// <summary>The service every variant serves; the attributes only matter to the TagCache proxy.</summary>
public interface ICatalogService
{
    [CacheWithTags]
    Product GetUntagged(int id);

    [CacheWithTags("Product_{id}")]
    Product GetProduct(int id);

    [CacheWithTags("Product_{id}", "Category_{id}", "Catalog")]
    Product GetProductThreeTags(int id);

    [CacheWithTags("Product_{id}")]
    Price GetPrice(int id, string currency, int quantity);

    [CacheWithTags("Product_{id}")]
    Task<Product> GetProductAsync(int id);

    [CacheWithTags("Product_{id}")]
    ValueTask<Product> GetProductValueAsync(int id);

    /// <summary>Carries the one tag the invalidation benchmarks bump.</summary>
    [CacheWithTags("Hot")]
    Product GetHotProduct(int id);

    /// <summary>A 50 ms database call, for the stampede benchmarks.</summary>
    [CacheWithTags("Product_{id}")]
    Task<Product> LoadSlowlyAsync(int id);
}
