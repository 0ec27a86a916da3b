using TagCache.Benchmarks.Catalog;
using ZiggyCreatures.Caching.Fusion;

namespace TagCache.Benchmarks.Baselines;

/// <summary>
/// The same service behind FusionCache 2.9 (memory level only, as TagCache's values are), written as its documentation
/// shows: GetOrSet with the key, a factory and the tags TagCache's attributes give the method.
/// </summary>
public sealed class FusionCachingCatalog(ICatalogService inner, IFusionCache cache) : ICatalogService
{
    public Product GetUntagged(int id) => cache.GetOrSet<Product>($"Untagged_{id}", (_, _) => inner.GetUntagged(id));

    public Product GetProduct(int id) => cache.GetOrSet<Product>($"Product_{id}", (_, _) => inner.GetProduct(id), tags: [$"Product_{id}"]);

    public Product GetProductThreeTags(int id) =>
        cache.GetOrSet<Product>($"Product3_{id}", (_, _) => inner.GetProductThreeTags(id), tags: [$"Product_{id}", $"Category_{id}", "Catalog"]);

    public Price GetPrice(int id, string currency, int quantity) =>
        cache.GetOrSet<Price>($"Price_{id}_{currency}_{quantity}", (_, _) => inner.GetPrice(id, currency, quantity), tags: [$"Product_{id}"]);

    public Task<Product> GetProductAsync(int id) =>
        cache.GetOrSetAsync<Product>($"ProductAsync_{id}", (_, _) => inner.GetProductAsync(id), tags: [$"Product_{id}"]).AsTask();

    public ValueTask<Product> GetProductValueAsync(int id) =>
        cache.GetOrSetAsync<Product>($"ProductValueAsync_{id}", (_, _) => inner.GetProductValueAsync(id).AsTask(), tags: [$"Product_{id}"]);

    public Product GetHotProduct(int id) => cache.GetOrSet<Product>($"Hot_{id}", (_, _) => inner.GetHotProduct(id), tags: ["Hot"]);

    public Task<Product> LoadSlowlyAsync(int id) =>
        cache.GetOrSetAsync<Product>($"Slow_{id}", (_, _) => inner.LoadSlowlyAsync(id), tags: [$"Product_{id}"]).AsTask();
}
