using BenchmarkDotNet.Attributes;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// Invalidating one tag carried by <see cref="Entries"/> entries, alone and with the first read after it (a miss that
/// reloads and stores). The entries are (re)stored in the iteration setup, which is not measured; that forces one
/// invocation per iteration, so each figure is the median of single operations.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(9)]
public class InvalidationBenchmarks : IDisposable
{
    private const string Tag = "Hot";

    private readonly TagCacheEntryOptions _hot = new() { Tags = [Tag] };
    private CatalogVariants _variants = null!;
    private string[] _keys = [];
    private Product _product = null!;

    [ParamsSource(nameof(EntryCounts))]
    public int Entries { get; set; }

    /// <summary>Gets the entry counts; <c>--quick</c> leaves out 1,000,000 because refilling it before every iteration takes seconds.</summary>
    public static IEnumerable<int> EntryCounts => RunMode.Quick ? [1, 1_000] : [1, 1_000, 1_000_000];

    [GlobalSetup]
    public void Setup()
    {
        _variants = new CatalogVariants();
        _keys = [.. Enumerable.Range(0, Entries).Select(i => $"Hot_{i}")];
        _product = _variants.Target.GetHotProduct(0);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _variants?.Dispose();
        GC.SuppressFinalize(this);
    }

    [IterationSetup(Targets = [nameof(TokenIdiom_Invalidate), nameof(TokenIdiom_InvalidateThenRead)])]
    public void FillTokenIdiom()
    {
        // Entry 0 goes through the decorator, so the measured read finds its own key invalidated.
        _variants.TokenIdiom.GetHotProduct(0);
        for (var i = 1; i < _keys.Length; i++)
        {
            _variants.Tokens.Set(_keys[i], _product, Tag);
        }
    }

    [IterationSetup(Targets = [nameof(TagCache_Invalidate), nameof(TagCache_InvalidateThenRead), nameof(TagCache_Invalidate_SteadyState)])]
    public void FillTagCache()
    {
        _variants.TagCache.GetHotProduct(0);
        for (var i = 1; i < _keys.Length; i++)
        {
            _variants.Cache.Set(_keys[i], _product, _hot);
        }
    }

    [Benchmark(Baseline = true)]
    public void TokenIdiom_Invalidate() => _variants.Tokens.Invalidate(Tag);

    [Benchmark]
    public void TagCache_Invalidate() => _variants.Cache.InvalidateTags(Tag);

    /// <summary>
    /// Many invalidations per iteration with the entries filled once: bumping a version does the same work whether its
    /// entries are fresh or already stale, so this times the invalidation itself without the single-shot timer noise of
    /// the rows above. The token idiom has no such row: a cancelled token cannot be cancelled again.
    /// </summary>
    [Benchmark(OperationsPerInvoke = 1_000)]
    public void TagCache_Invalidate_SteadyState()
    {
        for (var i = 0; i < 1_000; i++)
        {
            _variants.Cache.InvalidateTags(Tag);
        }
    }

    [Benchmark]
    public Product TokenIdiom_InvalidateThenRead()
    {
        _variants.Tokens.Invalidate(Tag);
        return _variants.TokenIdiom.GetHotProduct(0);
    }

    [Benchmark]
    public Product TagCache_InvalidateThenRead()
    {
        _variants.Cache.InvalidateTags(Tag);
        return _variants.TagCache.GetHotProduct(0);
    }

    [IterationSetup(Targets = [nameof(FusionCache_Invalidate), nameof(FusionCache_InvalidateThenRead)])]
    public void FillFusionCache()
    {
        _variants.Fusion.GetHotProduct(0);
        for (var i = 1; i < _keys.Length; i++)
        {
            _variants.FusionCache.Set(_keys[i], _product, tags: [Tag]);
        }
    }

    [IterationSetup(Targets = [nameof(HybridCache_Invalidate), nameof(HybridCache_InvalidateThenRead)])]
    public void FillHybridCache()
    {
        _variants.Hybrid.GetHotProduct(0);
        for (var i = 1; i < _keys.Length; i++)
        {
            _variants.HybridCache.SetAsync(_keys[i], _product, tags: [Tag]).AsTask().GetAwaiter().GetResult();
        }
    }

    [Benchmark]
    public void FusionCache_Invalidate() => _variants.FusionCache.RemoveByTag(Tag);

    [Benchmark]
    public void HybridCache_Invalidate() => _variants.HybridCache.RemoveByTagAsync(Tag).AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public Product FusionCache_InvalidateThenRead()
    {
        _variants.FusionCache.RemoveByTag(Tag);
        return _variants.Fusion.GetHotProduct(0);
    }

    [Benchmark]
    public Product HybridCache_InvalidateThenRead()
    {
        _variants.HybridCache.RemoveByTagAsync(Tag).AsTask().GetAwaiter().GetResult();
        return _variants.Hybrid.GetHotProduct(0);
    }
}
