using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Baselines;
using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks;

/// <summary>
/// A hit without resilience settings against the same hit with fail-safe, soft timeout and eager refresh set for the
/// cache (a hit then reads its entry's own deadline and refresh time), in the same run; the hand-written decorator is each
/// group's baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ResilientHitBenchmarks : IDisposable
{
    private const int Id = 42;

    private ServiceProvider _plain = null!;
    private ServiceProvider _resilient = null!;
    private MemoryCache _memory = null!;
    private ICatalogService _handWritten = null!;
    private ICatalogService _plainService = null!;
    private ICatalogService _resilientService = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new MemoryCache(new MemoryCacheOptions());
        _handWritten = new HandWrittenCachingCatalog(new CatalogService(), _memory);
        (_plain, _plainService) = Build(_ => { });
        (_resilient, _resilientService) = Build(resilience =>
        {
            resilience.FailSafeMaxDuration = TimeSpan.FromDays(1);
            resilience.SoftTimeout = TimeSpan.FromMilliseconds(100);
            resilience.EagerRefreshThreshold = 0.9;
        });
        foreach (var service in new[] { _handWritten, _plainService, _resilientService })
        {
            service.GetProduct(Id);
            service.GetProductAsync(Id).GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _plain?.Dispose();
        _resilient?.Dispose();
        _memory?.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark(Baseline = true)]
    public Product HandWritten() => _handWritten.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_NoSettings() => _plainService.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_FailSafeSoftTimeoutEagerRefresh() => _resilientService.GetProduct(Id);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true)]
    public Task<Product> HandWritten_Task() => _handWritten.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_NoSettings_Task() => _plainService.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_FailSafeSoftTimeoutEagerRefresh_Task() => _resilientService.GetProductAsync(Id);

    private static (ServiceProvider Provider, ICatalogService Service) Build(Action<TagCacheResilienceOptions> resilience)
    {
        var provider = new ServiceCollection()
            .AddTagCache(options =>
            {
                options.DefaultTimeout = TimeSpan.FromHours(1);
                resilience(options.Resilience);
            })
            .AddSingleton<ICatalogService, CatalogService>()
            .AddTagCaching<ICatalogService>()
            .BuildServiceProvider();
        return (provider, provider.GetRequiredService<ICatalogService>());
    }
}
