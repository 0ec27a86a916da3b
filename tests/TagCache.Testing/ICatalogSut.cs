namespace TagCache.Testing;

/// <summary>
/// A container with TagCache, both product services and the category pages wrapped, a "catalog" named cache and a fake
/// clock: what the interception scenarios run over, whichever container and proxy kind makes it.
/// </summary>
public interface ICatalogSut : IDisposable
{
    ProductDatabase Database { get; }

    CallCounter Calls { get; }

    ProductService Target { get; }

    AsyncProductService AsyncTarget { get; }

    IProductService Products { get; }

    IAsyncProductService AsyncProducts { get; }

    ITagCacheProvider Caches { get; }

    T Resolve<T>()
        where T : notnull;
}
