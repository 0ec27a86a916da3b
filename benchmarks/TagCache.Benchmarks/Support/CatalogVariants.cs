using Castle.DynamicProxy;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Baselines;
using TagCache.Benchmarks.Catalog;
using ZiggyCreatures.Caching.Fusion;

namespace TagCache.Benchmarks.Support;

/// <summary>The same <see cref="CatalogService"/> behind each contender, built the way an application would build it.</summary>
public sealed class CatalogVariants : IDisposable
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    private static readonly ProxyGenerator Generator = new();

    private readonly ServiceProvider _services;
    private readonly ServiceProvider _generatedServices;
    private readonly ServiceProvider _hybridServices;

    /// <param name="configureTagCache">Adds to the TagCache variant's services (a meter factory, options).</param>
    public CatalogVariants(Action<IServiceCollection>? configureTagCache = null)
    {
        Target = new CatalogService();
        Castle = Generator.CreateInterfaceProxyWithTarget<ICatalogService>(Target, new PassThroughInterceptor());
        HandWrittenMemory = new MemoryCache(new MemoryCacheOptions());
        HandWritten = new HandWrittenCachingCatalog(Target, HandWrittenMemory);
        TokenMemory = new MemoryCache(new MemoryCacheOptions());
        Tokens = new TokenTagCache(TokenMemory, TimeToLive);
        TokenIdiom = new TokenTaggedCatalog(Target, Tokens);

        // The background sweep only returns the memory of stale entries, off the caller's path; pushed out of the
        // measurement window so it does not compete for the 2 cores while invalidations are timed.
        // TagCache twice: through Castle's proxy (decorators turned off), and through the generated decorator.
        _services = TagCacheServices(generated: false, configureTagCache);
        TagCache = _services.GetRequiredService<ICatalogService>();
        Cache = _services.GetRequiredService<ITagCache>();
        _generatedServices = TagCacheServices(generated: true, configureTagCache);
        Generated = _generatedServices.GetRequiredService<ICatalogService>();

        // The peers, each as its documentation sets it up, values in memory for the same hour.
        FusionCache = new FusionCache(new FusionCacheOptions { DefaultEntryOptions = new FusionCacheEntryOptions { Duration = TimeToLive } });
        Fusion = new FusionCachingCatalog(Target, FusionCache);
        _hybridServices = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
        HybridCache = _hybridServices.GetRequiredService<HybridCache>();
        Hybrid = new HybridCachingCatalog(Target, HybridCache);
    }

    public CatalogService Target { get; }

    public ICatalogService Direct => Target;

    public ICatalogService Castle { get; }

    public MemoryCache HandWrittenMemory { get; }

    public ICatalogService HandWritten { get; }

    public MemoryCache TokenMemory { get; }

    public TokenTagCache Tokens { get; }

    public ICatalogService TokenIdiom { get; }

    /// <summary>Gets TagCache through a Castle proxy.</summary>
    public ICatalogService TagCache { get; }

    /// <summary>Gets TagCache through the decorator its source generator wrote (its own container and caches).</summary>
    public ICatalogService Generated { get; }

    /// <summary>Gets FusionCache 2.9 in front of the target (memory level).</summary>
    public ICatalogService Fusion { get; }

    public IFusionCache FusionCache { get; }

    /// <summary>Gets Microsoft's HybridCache 10.0 in front of the target (no second level).</summary>
    public ICatalogService Hybrid { get; }

    public HybridCache HybridCache { get; }

    /// <summary>Gets the default cache behind <see cref="TagCache"/>.</summary>
    public ITagCache Cache { get; }

    private ServiceProvider TagCacheServices(bool generated, Action<IServiceCollection>? configureTagCache)
    {
        var services = new ServiceCollection()
            .AddTagCache(options =>
            {
                options.DefaultTimeout = TimeToLive;
                options.ReclaimInterval = TimeSpan.FromHours(1);
                options.UseGeneratedDecorators = generated;
            })
            .AddSingleton<ICatalogService>(Target)
            .AddTagCaching<ICatalogService>();
        configureTagCache?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Gets a service of the TagCache variant's container.</summary>
    public T GetRequiredService<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        _generatedServices.Dispose();
        _hybridServices.Dispose();
        FusionCache.Dispose();
        HandWrittenMemory.Dispose();
        TokenMemory.Dispose();
    }
}
