using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// A hit on one hot key, per return shape. Every category's baseline is the hand-written decorator; the direct call and the
/// Castle pass-through proxy show the floor; FusionCache and HybridCache, with the same tags, are the peers users compare
/// TagCache with. Each cache is warmed in <see cref="Setup"/>, so every measured call is a hit.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class HitBenchmarks : IDisposable
{
    private const int Id = 42;
    private const string Currency = "EUR";
    private const int Quantity = 3;

    private CatalogVariants _variants = null!;

    [GlobalSetup]
    public void Setup()
    {
        _variants = new CatalogVariants();
        foreach (var service in new[] { _variants.HandWritten, _variants.TagCache, _variants.Generated, _variants.Fusion, _variants.Hybrid })
        {
            service.GetUntagged(Id);
            service.GetProduct(Id);
            service.GetProductThreeTags(Id);
            service.GetPrice(Id, Currency, Quantity);
            service.GetProductAsync(Id).GetAwaiter().GetResult();
            service.GetProductValueAsync(Id).AsTask().GetAwaiter().GetResult();
        }

        _variants.TokenIdiom.GetProduct(Id);
        _variants.TokenIdiom.GetProductThreeTags(Id);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _variants?.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product Direct() => _variants.Direct.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product CastlePassThrough() => _variants.Castle.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark(Baseline = true)]
    public Product HandWritten() => _variants.HandWritten.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TokenIdiom_1Tag() => _variants.TokenIdiom.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TokenIdiom_3Tags() => _variants.TokenIdiom.GetProductThreeTags(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_0Tags() => _variants.TagCache.GetUntagged(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_1Tag() => _variants.TagCache.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_3Tags() => _variants.TagCache.GetProductThreeTags(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product Generated_1Tag() => _variants.Generated.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product FusionCache_1Tag() => _variants.Fusion.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product HybridCache_1Tag() => _variants.Hybrid.GetProduct(Id);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price Direct_3Args() => _variants.Direct.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price CastlePassThrough_3Args() => _variants.Castle.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark(Baseline = true)]
    public Price HandWritten_3Args() => _variants.HandWritten.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price TagCache_3Args() => _variants.TagCache.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price Generated_3Args() => _variants.Generated.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price FusionCache_3Args() => _variants.Fusion.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Sync, 3 args (int, string, int)"), Benchmark]
    public Price HybridCache_3Args() => _variants.Hybrid.GetPrice(Id, Currency, Quantity);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> Direct_Task() => _variants.Direct.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> CastlePassThrough_Task() => _variants.Castle.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true)]
    public Task<Product> HandWritten_Task() => _variants.HandWritten.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_Task() => _variants.TagCache.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> Generated_Task() => _variants.Generated.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> FusionCache_Task() => _variants.Fusion.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> HybridCache_Task() => _variants.Hybrid.GetProductAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> Direct_ValueTask() => _variants.Direct.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> CastlePassThrough_ValueTask() => _variants.Castle.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark(Baseline = true)]
    public ValueTask<Product> HandWritten_ValueTask() => _variants.HandWritten.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> TagCache_ValueTask() => _variants.TagCache.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> Generated_ValueTask() => _variants.Generated.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> FusionCache_ValueTask() => _variants.Fusion.GetProductValueAsync(Id);

    [BenchmarkCategory("ValueTask<T>"), Benchmark]
    public ValueTask<Product> HybridCache_ValueTask() => _variants.Hybrid.GetProductValueAsync(Id);
}
