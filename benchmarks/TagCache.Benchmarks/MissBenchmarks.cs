using BenchmarkDotNet.Attributes;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// A miss on a cold key plus storing the result. Each iteration starts from empty caches (built in the iteration setup, not
/// measured) and makes <see cref="Batch"/> calls on distinct keys, so every measured call misses.
/// </summary>
[MemoryDiagnoser]
public class MissBenchmarks : IDisposable
{
    public const int Batch = 2_000;

    private CatalogVariants? _variants;

    [IterationSetup]
    public void FreshCaches()
    {
        _variants?.Dispose();
        _variants = new CatalogVariants();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _variants?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public void HandWritten_Miss()
    {
        var service = _variants!.HandWritten;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TokenIdiom_1Tag_Miss()
    {
        var service = _variants!.TokenIdiom;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TagCache_0Tags_Miss()
    {
        var service = _variants!.TagCache;
        for (var id = 0; id < Batch; id++)
        {
            service.GetUntagged(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void TagCache_1Tag_Miss()
    {
        var service = _variants!.TagCache;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void Generated_1Tag_Miss()
    {
        var service = _variants!.Generated;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void FusionCache_1Tag_Miss()
    {
        var service = _variants!.Fusion;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public void HybridCache_1Tag_Miss()
    {
        var service = _variants!.Hybrid;
        for (var id = 0; id < Batch; id++)
        {
            service.GetProduct(id);
        }
    }
}
