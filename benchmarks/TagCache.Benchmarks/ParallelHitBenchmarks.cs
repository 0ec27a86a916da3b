using BenchmarkDotNet.Attributes;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// Hits from 2 threads at once over <see cref="Keys"/> warm keys (1 = one hot key). Mean is wall time per hit over both
/// threads, so throughput = 1 / Mean; allocation is per hit.
/// </summary>
[MemoryDiagnoser]
public class ParallelHitBenchmarks : IDisposable
{
    private const int PerThread = 50_000;
    private const int Operations = 2 * PerThread;

    private CatalogVariants _variants = null!;

    [Params(1, 10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _variants = new CatalogVariants();
        for (var id = 0; id < Keys; id++)
        {
            _variants.HandWritten.GetProduct(id);
            _variants.TokenIdiom.GetProduct(id);
            _variants.TagCache.GetProduct(id);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _variants?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public void CastlePassThrough() => OnTwoThreads(_variants.Castle);

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public void HandWritten() => OnTwoThreads(_variants.HandWritten);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void TokenIdiom_1Tag() => OnTwoThreads(_variants.TokenIdiom);

    [Benchmark(OperationsPerInvoke = Operations)]
    public void TagCache_1Tag() => OnTwoThreads(_variants.TagCache);

    private void OnTwoThreads(ICatalogService service)
    {
        var keys = Keys;
        Parallel.Invoke(() => Hits(service, keys, 0), () => Hits(service, keys, keys / 2));
    }

    private static void Hits(ICatalogService service, int keys, int start)
    {
        var id = start;
        for (var i = 0; i < PerThread; i++)
        {
            service.GetProduct(id);
            if (++id == keys)
            {
                id = 0;
            }
        }
    }
}
