using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>
/// <see cref="CatalogContainer"/>'s setup in Microsoft DI: both product services and the category pages wrapped by
/// AddTagCaching, in generated decorators or (with <paramref name="generated"/> false) Castle proxies.
/// </summary>
/// <param name="generated">Whether AddTagCaching uses the generated decorators.</param>
/// <param name="thirdPartyCache">Whether the caches are reached through a third-party <see cref="ITagCacheProvider"/>.</param>
public sealed class CatalogServices(bool generated, bool thirdPartyCache) : ICatalogSut
{
    private ServiceProvider? _provider;

    public FakeTimeProvider Time { get; } = new();

    public ProductDatabase Database { get; } = new();

    public CallCounter Calls { get; } = new();

    public ProductService Target => field ??= new ProductService(Database, Calls);

    public AsyncProductService AsyncTarget => field ??= new AsyncProductService(Database, Calls);

    public IProductService Products => Provider.GetRequiredService<IProductService>();

    public IAsyncProductService AsyncProducts => Provider.GetRequiredService<IAsyncProductService>();

    public ITagCacheProvider Caches => Provider.GetRequiredService<ITagCacheProvider>();

    private ServiceProvider Provider => _provider ??= Build();

    public T Resolve<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    public void Dispose() => _provider?.Dispose();

    private ServiceProvider Build()
    {
        var services = new ServiceCollection();
        services.AddTagCache(options =>
        {
            options.AddCache("catalog");
            options.UseGeneratedDecorators = generated;
        });
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton(Database);
        services.AddSingleton(Calls);
        services.AddSingleton<IProductService>(Target);
        services.AddSingleton<IAsyncProductService>(AsyncTarget);
        services.AddSingleton<ICategoryPages, CategoryPages>();
        if (thirdPartyCache)
        {
            services.AddSingleton<ITagCacheProvider>(sp => new DecoratingTagCacheProvider(sp.GetRequiredService<TagCacheProvider>()));
        }

        services.AddTagCaching<IProductService>();
        services.AddTagCaching<IAsyncProductService>();
        services.AddTagCaching<ICategoryPages>();
        var provider = services.BuildServiceProvider();
        Assert.AreEqual(generated, Wrapping.IsGeneratedDecorator(provider.GetRequiredService<IProductService>()), "the service is wrapped the way the scenario asks");
        return provider;
    }
}
