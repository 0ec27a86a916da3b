// A hand-written cache, never wrapped by TagCache: its calls on this are its own cache's, not a bypassed proxy.
#pragma warning disable TC1006
using Microsoft.Extensions.Caching.Memory;
using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks.Baselines;

/// <summary>
/// What a user writes instead of a library: an interpolated key and <see cref="IMemoryCache"/>. It has no tags, so it
/// cannot be invalidated by tag, and no single flight: <see cref="LoadSlowlyAsync"/> uses GetOrCreateAsync, as users do.
/// </summary>
public sealed class HandWrittenCachingCatalog(ICatalogService inner, IMemoryCache cache) : ICatalogService
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    public Product GetUntagged(int id) => GetProduct(id);

    public Product GetProduct(int id)
    {
        var key = $"Product_{id}";
        if (cache.TryGetValue(key, out Product? product))
        {
            return product!;
        }

        product = inner.GetProduct(id);
        cache.Set(key, product, TimeToLive);
        return product;
    }

    public Product GetProductThreeTags(int id) => GetProduct(id);

    public Price GetPrice(int id, string currency, int quantity)
    {
        var key = $"Price_{id}_{currency}_{quantity}";
        if (cache.TryGetValue(key, out Price? price))
        {
            return price!;
        }

        price = inner.GetPrice(id, currency, quantity);
        cache.Set(key, price, TimeToLive);
        return price;
    }

    public async Task<Product> GetProductAsync(int id)
    {
        var key = $"ProductAsync_{id}";
        if (cache.TryGetValue(key, out Product? product))
        {
            return product!;
        }

        product = await inner.GetProductAsync(id).ConfigureAwait(false);
        cache.Set(key, product, TimeToLive);
        return product;
    }

    public async ValueTask<Product> GetProductValueAsync(int id)
    {
        var key = $"ProductValueAsync_{id}";
        if (cache.TryGetValue(key, out Product? product))
        {
            return product!;
        }

        product = await inner.GetProductValueAsync(id).ConfigureAwait(false);
        cache.Set(key, product, TimeToLive);
        return product;
    }

    public Product GetHotProduct(int id)
    {
        var key = $"Hot_{id}";
        if (cache.TryGetValue(key, out Product? product))
        {
            return product!;
        }

        product = inner.GetHotProduct(id);
        cache.Set(key, product, TimeToLive);
        return product;
    }

    public async Task<Product> LoadSlowlyAsync(int id)
    {
        var product = await cache.GetOrCreateAsync($"Slow_{id}", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeToLive;
            return await inner.LoadSlowlyAsync(id).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return product!;
    }
}
