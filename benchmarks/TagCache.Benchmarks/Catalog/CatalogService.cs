namespace TagCache.Benchmarks.Catalog;

/// <summary>
/// The target: answers from prebuilt objects so the benchmarks measure the caching layers, not the data source.
/// Only <see cref="LoadSlowlyAsync"/> counts its calls, because counting would add an interlocked operation to every direct call.
/// </summary>
public sealed class CatalogService : ICatalogService
{
    public const int SlowCallMilliseconds = 50;

    private const int Prebuilt = 16_384;

    private static readonly Product[] Products = [.. Enumerable.Range(0, Prebuilt).Select(i => new Product(i, $"Product {i}", i % 100))];

    private long _slowCalls;

    public long SlowCalls => Interlocked.Read(ref _slowCalls);

    public Product GetUntagged(int id) => Products[id & (Prebuilt - 1)];

    public Product GetProduct(int id) => Products[id & (Prebuilt - 1)];

    public Product GetProductThreeTags(int id) => Products[id & (Prebuilt - 1)];

    public Price GetPrice(int id, string currency, int quantity) => new(id, currency, quantity, 9.99m * quantity);

    public Task<Product> GetProductAsync(int id) => Task.FromResult(Products[id & (Prebuilt - 1)]);

    public ValueTask<Product> GetProductValueAsync(int id) => new(Products[id & (Prebuilt - 1)]);

    public Product GetHotProduct(int id) => Products[id & (Prebuilt - 1)];

    public async Task<Product> LoadSlowlyAsync(int id)
    {
        Interlocked.Increment(ref _slowCalls);
        await Task.Delay(SlowCallMilliseconds).ConfigureAwait(false);
        return Products[id & (Prebuilt - 1)];
    }
}
