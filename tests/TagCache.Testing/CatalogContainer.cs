using Autofac;
using Microsoft.Extensions.Time.Testing;
using TagCache.Testing;

namespace TagCache.Testing;

/// <summary>An Autofac container with TagCache, both product services proxied, a "catalog" named cache and a fake clock.</summary>
public sealed class CatalogContainer : ICatalogSut
{
    private readonly IContainer _container;

    public CatalogContainer(Action<ContainerBuilder>? configure = null)
    {
        Target = new ProductService(Database, Calls);
        AsyncTarget = new AsyncProductService(Database, Calls);
        var builder = new ContainerBuilder();
        builder.AddTagCache(options => options.AddCache("catalog"));
        builder.RegisterInstance(Time).As<TimeProvider>();
        builder.RegisterInstance(Database);
        builder.RegisterInstance(Calls);
        builder.RegisterInstance(Target).As<IProductService>().EnableTagCaching();
        builder.RegisterInstance(AsyncTarget).As<IAsyncProductService>().EnableTagCaching();
        configure?.Invoke(builder);
        _container = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new();

    public ProductDatabase Database { get; } = new();

    public CallCounter Calls { get; } = new();

    public ProductService Target { get; }

    public AsyncProductService AsyncTarget { get; }

    public IProductService Products => _container.Resolve<IProductService>();

    public IAsyncProductService AsyncProducts => _container.Resolve<IAsyncProductService>();

    public ITagCacheProvider Caches => _container.Resolve<ITagCacheProvider>();

    public T Resolve<T>()
        where T : notnull => _container.Resolve<T>();

    public void Dispose() => _container.Dispose();
}
