using System.ComponentModel;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using ZiggyCreatures.Caching.Fusion;
using ZiggyCreatures.Caching.Fusion.MicrosoftHybridCache;

namespace TagCache.Benchmarks;

/// <summary>
/// The <see cref="HybridCache"/> API three ways in one run, each in memory only, values of an immutable type (reused, not
/// copied, by all three): TagCache's (<c>AddTagCacheHybridCache</c>), Microsoft's (<c>AddHybridCache</c>) and FusionCache's
/// adapter (<c>FusionHybridCache</c>). A hit, a miss (a new key each time), and <c>RemoveByTagAsync</c> of one tag.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
public class HybridCacheBenchmarks : IDisposable
{
    private static readonly ImmutableProduct Value = new(1, "Tea", 10);
    private static readonly string[] Tags = ["Product_1"];

    private ServiceProvider _tagCacheServices = null!;
    private ServiceProvider _microsoftServices = null!;
    private FusionCache _fusion = null!;
    private HybridCache _tagCache = null!;
    private HybridCache _microsoft = null!;
    private HybridCache _fusionAdapter = null!;
    private long _next;

    [GlobalSetup]
    public void Setup()
    {
        _tagCacheServices = new ServiceCollection().AddTagCache(o => o.DefaultTimeout = TimeSpan.FromHours(1)).AddTagCacheHybridCache().BuildServiceProvider();
        _tagCache = _tagCacheServices.GetRequiredService<HybridCache>();
        _microsoftServices = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        _microsoft = _microsoftServices.GetRequiredService<HybridCache>();
        _fusion = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeSpan.FromHours(1) } });
        _fusionAdapter = new FusionHybridCache(_fusion);
        foreach (var cache in new[] { _tagCache, _microsoft, _fusionAdapter })
        {
            cache.GetOrCreateAsync("hit", static _ => ValueTask.FromResult(Value), tags: Tags).AsTask().GetAwaiter().GetResult();
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _tagCacheServices.Dispose();
        _microsoftServices.Dispose();
        _fusion.Dispose();
        GC.SuppressFinalize(this);
    }

    [BenchmarkCategory("Hit"), Benchmark(Baseline = true)]
    public ValueTask<ImmutableProduct> Hit_Microsoft() => _microsoft.GetOrCreateAsync("hit", static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("Hit"), Benchmark]
    public ValueTask<ImmutableProduct> Hit_TagCache() => _tagCache.GetOrCreateAsync("hit", static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("Hit"), Benchmark]
    public ValueTask<ImmutableProduct> Hit_FusionAdapter() => _fusionAdapter.GetOrCreateAsync("hit", static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("Miss"), Benchmark(Baseline = true)]
    public ValueTask<ImmutableProduct> Miss_Microsoft() => _microsoft.GetOrCreateAsync("m" + Interlocked.Increment(ref _next), static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("Miss"), Benchmark]
    public ValueTask<ImmutableProduct> Miss_TagCache() => _tagCache.GetOrCreateAsync("m" + Interlocked.Increment(ref _next), static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("Miss"), Benchmark]
    public ValueTask<ImmutableProduct> Miss_FusionAdapter() => _fusionAdapter.GetOrCreateAsync("m" + Interlocked.Increment(ref _next), static _ => ValueTask.FromResult(Value), tags: Tags);

    [BenchmarkCategory("RemoveByTag"), Benchmark(Baseline = true)]
    public ValueTask RemoveByTag_Microsoft() => _microsoft.RemoveByTagAsync("Product_" + (Interlocked.Increment(ref _next) & 1023));

    [BenchmarkCategory("RemoveByTag"), Benchmark]
    public ValueTask RemoveByTag_TagCache() => _tagCache.RemoveByTagAsync("Product_" + (Interlocked.Increment(ref _next) & 1023));

    [BenchmarkCategory("RemoveByTag"), Benchmark]
    public ValueTask RemoveByTag_FusionAdapter() => _fusionAdapter.RemoveByTagAsync("Product_" + (Interlocked.Increment(ref _next) & 1023));
}

/// <summary>A value every HybridCache may hand to all callers without copying it.</summary>
[ImmutableObject(true)]
public sealed record ImmutableProduct(int Id, string Name, int CategoryId);
