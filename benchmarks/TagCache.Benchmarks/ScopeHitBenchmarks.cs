using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Baselines;
using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks;

/// <summary>
/// A hit of a scoped service whose keys vary by its scope's tenant, against the same scoped service declared shared across
/// scopes (the hit path without a vary-by value), in the same run; the hand-written decorator is each group's baseline.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ScopeHitBenchmarks : IDisposable
{
    private const int Id = 42;

    private ServiceProvider _shared = null!;
    private ServiceProvider _varying = null!;
    private IServiceScope _sharedScope = null!;
    private IServiceScope _varyingScope = null!;
    private MemoryCache _memory = null!;
    private ICatalogService _handWritten = null!;
    private ICatalogService _sharedService = null!;
    private ICatalogService _varyingService = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = new MemoryCache(new MemoryCacheOptions());
        _handWritten = new HandWrittenCachingCatalog(new CatalogService(), _memory);
        (_shared, _sharedScope, _sharedService) = Build(scope => scope.SharedAcrossScopes());
        (_varying, _varyingScope, _varyingService) = Build(scope => scope.VaryBy((Tenant t) => t.Id));
        foreach (var service in new[] { _handWritten, _sharedService, _varyingService })
        {
            service.GetProduct(Id);
            service.GetProductAsync(Id).GetAwaiter().GetResult();
            service.GetPrice(Id, "EUR", 3);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _sharedScope?.Dispose();
        _varyingScope?.Dispose();
        _shared?.Dispose();
        _varying?.Dispose();
        _memory?.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark(Baseline = true)]
    public Product HandWritten() => _handWritten.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_SharedAcrossScopes() => _sharedService.GetProduct(Id);

    [BenchmarkCategory("Sync, 1 int arg"), Benchmark]
    public Product TagCache_VaryByTenant() => _varyingService.GetProduct(Id);

    [BenchmarkCategory("Task<T>"), Benchmark(Baseline = true)]
    public Task<Product> HandWritten_Task() => _handWritten.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_SharedAcrossScopes_Task() => _sharedService.GetProductAsync(Id);

    [BenchmarkCategory("Task<T>"), Benchmark]
    public Task<Product> TagCache_VaryByTenant_Task() => _varyingService.GetProductAsync(Id);

    [BenchmarkCategory("Sync, 3 args"), Benchmark(Baseline = true)]
    public Price HandWritten_3Args() => _handWritten.GetPrice(Id, "EUR", 3);

    [BenchmarkCategory("Sync, 3 args"), Benchmark]
    public Price TagCache_SharedAcrossScopes_3Args() => _sharedService.GetPrice(Id, "EUR", 3);

    [BenchmarkCategory("Sync, 3 args"), Benchmark]
    public Price TagCache_VaryByTenant_3Args() => _varyingService.GetPrice(Id, "EUR", 3);

    private static (ServiceProvider Provider, IServiceScope Scope, ICatalogService Service) Build(Action<TagCacheScopeOptions> declare)
    {
        var services = new ServiceCollection()
            .AddTagCache(options => options.ReclaimInterval = TimeSpan.FromHours(1))
            .AddScoped<Tenant>()
            .AddScoped<ICatalogService, CatalogService>();
        services.AddTagCaching<ICatalogService>(declare);
        var provider = services.BuildServiceProvider();
        var scope = provider.CreateScope();
        scope.ServiceProvider.GetRequiredService<Tenant>().Id = "acme";
        return (provider, scope, scope.ServiceProvider.GetRequiredService<ICatalogService>());
    }

    /// <summary>The request's tenant, as middleware sets it.</summary>
    public sealed class Tenant
    {
        public string? Id { get; set; }
    }
}
