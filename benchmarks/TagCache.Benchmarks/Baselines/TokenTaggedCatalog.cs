using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks.Baselines;

/// <summary>A caching decorator written on <see cref="TokenTagCache"/>: the hand-written way to get tags.</summary>
public sealed class TokenTaggedCatalog(ICatalogService inner, TokenTagCache cache) : ICatalogService
{
    public Product GetUntagged(int id) => throw NotBenchmarked();

    public Product GetProduct(int id)
    {
        var key = $"Product_{id}";
        if (cache.TryGet<Product>(key, out var product))
        {
            return product;
        }

        product = inner.GetProduct(id);
        cache.Set(key, product, $"Product_{id}");
        return product;
    }

    public Product GetProductThreeTags(int id)
    {
        var key = $"Product3_{id}";
        if (cache.TryGet<Product>(key, out var product))
        {
            return product;
        }

        product = inner.GetProductThreeTags(id);
        cache.Set(key, product, $"Product_{id}", $"Category_{id}", "Catalog");
        return product;
    }

    public Price GetPrice(int id, string currency, int quantity) => throw NotBenchmarked();

    public Task<Product> GetProductAsync(int id) => throw NotBenchmarked();

    public ValueTask<Product> GetProductValueAsync(int id) => throw NotBenchmarked();

    public Product GetHotProduct(int id)
    {
        var key = $"Hot_{id}";
        if (cache.TryGet<Product>(key, out var product))
        {
            return product;
        }

        product = inner.GetHotProduct(id);
        cache.Set(key, product, "Hot");
        return product;
    }

    public Task<Product> LoadSlowlyAsync(int id) => throw NotBenchmarked();

    private static NotSupportedException NotBenchmarked() => new("The token idiom is only benchmarked on the sync methods.");
}
