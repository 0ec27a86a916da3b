using Microsoft.Extensions.Caching.Hybrid;
using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks.Baselines;

/// <summary>
/// The same service behind Microsoft's HybridCache 10.0 (<c>AddHybridCache()</c>, no second level), written as its
/// documentation shows: GetOrCreateAsync with state (no closure) and the tags TagCache's attributes give the method. The
/// synchronous methods block on its ValueTask, which a hit completes synchronously.
/// </summary>
public sealed class HybridCachingCatalog(ICatalogService inner, HybridCache cache) : ICatalogService
{
    private static readonly HybridCacheEntryOptions Entry = new() { Expiration = TimeSpan.FromHours(1), LocalCacheExpiration = TimeSpan.FromHours(1) };

    public Product GetUntagged(int id) =>
        cache.GetOrCreateAsync($"Untagged_{id}", (inner, id), static (s, _) => ValueTask.FromResult(s.inner.GetUntagged(s.id)), Entry).GetAwaiter().GetResult();

    public Product GetProduct(int id) =>
        cache.GetOrCreateAsync($"Product_{id}", (inner, id), static (s, _) => ValueTask.FromResult(s.inner.GetProduct(s.id)), Entry, [$"Product_{id}"]).GetAwaiter().GetResult();

    public Product GetProductThreeTags(int id) =>
        cache.GetOrCreateAsync($"Product3_{id}", (inner, id), static (s, _) => ValueTask.FromResult(s.inner.GetProductThreeTags(s.id)), Entry, [$"Product_{id}", $"Category_{id}", "Catalog"]).GetAwaiter().GetResult();

    public Price GetPrice(int id, string currency, int quantity) =>
        cache.GetOrCreateAsync($"Price_{id}_{currency}_{quantity}", (inner, id, currency, quantity), static (s, _) => ValueTask.FromResult(s.inner.GetPrice(s.id, s.currency, s.quantity)), Entry, [$"Product_{id}"]).GetAwaiter().GetResult();

    public Task<Product> GetProductAsync(int id) =>
        cache.GetOrCreateAsync($"ProductAsync_{id}", (inner, id), static async (s, _) => await s.inner.GetProductAsync(s.id).ConfigureAwait(false), Entry, [$"Product_{id}"]).AsTask();

    public ValueTask<Product> GetProductValueAsync(int id) =>
        cache.GetOrCreateAsync($"ProductValueAsync_{id}", (inner, id), static (s, _) => s.inner.GetProductValueAsync(s.id), Entry, [$"Product_{id}"]);

    public Product GetHotProduct(int id) =>
        cache.GetOrCreateAsync($"Hot_{id}", (inner, id), static (s, _) => ValueTask.FromResult(s.inner.GetHotProduct(s.id)), Entry, ["Hot"]).GetAwaiter().GetResult();

    public Task<Product> LoadSlowlyAsync(int id) =>
        cache.GetOrCreateAsync($"Slow_{id}", (inner, id), static async (s, _) => await s.inner.LoadSlowlyAsync(s.id).ConfigureAwait(false), Entry, [$"Product_{id}"]).AsTask();
}
