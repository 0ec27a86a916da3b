using BenchmarkDotNet.Attributes;
using TagCache.Benchmarks.Catalog;
using TagCache.Benchmarks.Support;

namespace TagCache.Benchmarks;

/// <summary>
/// <see cref="Callers"/> callers ask for the same cold key at once; the target takes 50 ms. The callers are started one
/// after another from one thread without awaiting (all are in flight together: the first target call is still running
/// when the last caller arrives), then awaited together. Mean is the wall time until every caller has its value.
/// </summary>
[MemoryDiagnoser]
[TargetCallsColumn]
[WarmupCount(2)]
[IterationCount(6)]
public class StampedeBenchmarks : IDisposable
{
    private CatalogVariants _variants = null!;
    private int _nextId;

    [Params(10, 100, 1_000)]
    public int Callers { get; set; }

    [GlobalSetup]
    public void Setup() => _variants = new CatalogVariants();

    [GlobalCleanup]
    public void Dispose()
    {
        _variants?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task MemoryCache_GetOrCreateAsync() => Stampede(_variants.HandWritten, nameof(MemoryCache_GetOrCreateAsync));

    [Benchmark]
    public Task TagCache_Task() => Stampede(_variants.TagCache, nameof(TagCache_Task));

    [Benchmark]
    public Task FusionCache_Task() => Stampede(_variants.Fusion, nameof(FusionCache_Task));

    [Benchmark]
    public Task HybridCache_Task() => Stampede(_variants.Hybrid, nameof(HybridCache_Task));

    private async Task Stampede(ICatalogService service, string name)
    {
        var id = Interlocked.Increment(ref _nextId);
        var before = _variants.Target.SlowCalls;
        var callers = new Task<Product>[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = service.LoadSlowlyAsync(id);
        }

        await Task.WhenAll(callers).ConfigureAwait(false);
        TargetCallLog.Record(name, Callers, _variants.Target.SlowCalls - before);
    }
}
