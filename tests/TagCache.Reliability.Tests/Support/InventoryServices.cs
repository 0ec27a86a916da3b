namespace TagCache.Reliability.Tests.Support;

/// <summary>A cached page built from three products, each reached a different way.</summary>
/// <param name="PageId">The page.</param>
/// <param name="Nested">Read through a nested cached call (its tags are inherited).</param>
/// <param name="Appended">Read from the database, its tag added with <see cref="CacheTags.Append"/>.</param>
/// <param name="Featured">Read from the database, its tag taken from the result (<c>{result.FeaturedId}</c>).</param>
public sealed record Page(int PageId, ProductRow Nested, ProductRow Appended, ProductRow Featured)
{
    public int FeaturedId => Featured.Id;

    /// <summary>The products page <paramref name="pageId"/> shows: nested, appended and featured rows.</summary>
    public static (int Nested, int Appended, int Featured) Layout(int pageId, int rows) =>
        (pageId % rows, ((pageId * 7) + 1) % rows, ((pageId * 13) + 2) % rows);
}

public interface IProductReads
{
    [CacheWithTags("Product_{id}")]
    ProductRow GetProduct(int id);

    [CacheWithTags("Product_{id}")]
    Task<ProductRow> GetProductAsync(int id);
}

public interface IPageReads
{
    [CacheWithTags("Page_{pageId}", "Product_{result.FeaturedId}")]
    Page GetPage(int pageId);

    [CacheWithTags("Page_{pageId}", "Product_{result.FeaturedId}")]
    ValueTask<Page> GetPageAsync(int pageId);
}

public interface IProductWrites
{
    [InvalidateTags("Product_{id}")]
    void Invalidate(int id);

    [InvalidateTags("Product_{id}")]
    Task InvalidateAsync(int id);
}

/// <summary>Counts target runs, i.e. cache misses that reached the database.</summary>
public sealed class TargetCounters
{
    private long _products;
    private long _pages;

    public long Products => Interlocked.Read(ref _products);

    public long Pages => Interlocked.Read(ref _pages);

    public void Product() => Interlocked.Increment(ref _products);

    public void Page() => Interlocked.Increment(ref _pages);
}

public sealed class ProductReads(VersionedDatabase database, TargetCounters counters) : IProductReads
{
    public ProductRow GetProduct(int id)
    {
        counters.Product();
        Jitter.Pause();
        var row = database.Read(id);
        Jitter.Pause();
        return row;
    }

    public async Task<ProductRow> GetProductAsync(int id)
    {
        counters.Product();
        await Jitter.PauseAsync().ConfigureAwait(false);
        var row = database.Read(id);
        await Jitter.PauseAsync().ConfigureAwait(false);
        return row;
    }
}

/// <summary>Builds pages from the proxied product service, so nested calls go through the cache.</summary>
public sealed class PageReads(IProductReads products, VersionedDatabase database, TargetCounters counters) : IPageReads
{
    public Page GetPage(int pageId)
    {
        counters.Page();
        var (nested, appended, featured) = Page.Layout(pageId, database.RowCount);
        Jitter.Pause();
        var nestedRow = products.GetProduct(nested);
        var appendedRow = database.Read(appended);
        Jitter.Pause();
        CacheTags.Append("Product_" + appended);
        var featuredRow = database.Read(featured);
        Jitter.Pause();
        return new Page(pageId, nestedRow, appendedRow, featuredRow);
    }

    public async ValueTask<Page> GetPageAsync(int pageId)
    {
        counters.Page();
        var (nested, appended, featured) = Page.Layout(pageId, database.RowCount);
        await Jitter.PauseAsync().ConfigureAwait(false);
        var nestedRow = await products.GetProductAsync(nested).ConfigureAwait(false);
        var appendedRow = database.Read(appended);
        await Jitter.PauseAsync().ConfigureAwait(false);
        CacheTags.Append("Product_" + appended);
        var featuredRow = database.Read(featured);
        await Jitter.PauseAsync().ConfigureAwait(false);
        return new Page(pageId, nestedRow, appendedRow, featuredRow);
    }
}

public sealed class ProductWrites : IProductWrites
{
    public void Invalidate(int id) => Jitter.Pause();

    public async Task InvalidateAsync(int id) => await Jitter.PauseAsync().ConfigureAwait(false);
}
