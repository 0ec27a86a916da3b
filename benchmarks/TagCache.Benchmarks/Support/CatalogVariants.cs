using Castle.DynamicProxy;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Benchmarks.Baselines;
using TagCache.Benchmarks.Catalog;

namespace TagCache.Benchmarks.Support;

/// <summary>The same <see cref="CatalogService"/> behind each contender, built the way an application would build it.</summary>
public sealed class CatalogVariants : IDisposable
{
    public static readonly TimeSpan TimeToLive = TimeSpan.FromHours(1);

    private static readonly ProxyGenerator Generator = new();

    private readonly ServiceProvider _services;

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
        var services = new ServiceCollection()
            .AddTagCache(options =>
            {
                options.DefaultTimeout = TimeToLive;
                options.ReclaimInterval = TimeSpan.FromHours(1);
            })
            .AddSingleton<ICatalogService>(Target)
            .AddTagCaching<ICatalogService>();
        configureTagCache?.Invoke(services);
        _services = services.BuildServiceProvider();
        TagCache = _services.GetRequiredService<ICatalogService>();
        Cache = _services.GetRequiredService<ITagCache>();
    }

    public CatalogService Target { get; }

    public ICatalogService Direct => Target;

    public ICatalogService Castle { get; }

    public MemoryCache HandWrittenMemory { get; }

    public ICatalogService HandWritten { get; }

    public MemoryCache TokenMemory { get; }

    public TokenTagCache Tokens { get; }

    public ICatalogService TokenIdiom { get; }

    public ICatalogService TagCache { get; }

    /// <summary>Gets the default cache behind <see cref="TagCache"/>.</summary>
    public ITagCache Cache { get; }

    /// <summary>Gets a service of the TagCache variant's container.</summary>
    public T GetRequiredService<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public void Dispose()
    {
        _services.Dispose();
        HandWrittenMemory.Dispose();
        TokenMemory.Dispose();
    }
}
