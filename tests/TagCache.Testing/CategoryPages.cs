namespace TagCache.Testing;

/// <summary>Cached pages built from other cached calls, to show that the inner calls' tags reach the page.</summary>
public interface ICategoryPages
{
    [CacheWithTags("Page_{categoryId}")]
    string Render(int categoryId);

    [CacheWithTags("Page_{categoryId}")]
    Task<string> RenderAsync(int categoryId);

    [CacheWithTags("Page_{categoryId}")]
    ValueTask<string> RenderValueAsync(int categoryId);

    [CacheWithTags("Page_{categoryId}", Cache = "catalog")]
    string RenderInCatalogCache(int categoryId);

    /// <summary>Reads the database itself and declares its dependency with <see cref="CacheTags.Append"/>.</summary>
    [CacheWithTags("Featured")]
    string RenderFeatured(int productId);
}

/// <summary>A second layer: a cached page that includes another service's cached page.</summary>
public interface IStorefront
{
    [CacheWithTags("Home")]
    Task<string> RenderHomeAsync(int categoryId);
}

public sealed class CategoryPages(ProductDatabase database, CallCounter calls, IProductService products, IAsyncProductService asyncProducts) : ICategoryPages
{
    public string Render(int categoryId)
    {
        calls.Hit();
        return Join(database.InCategory(categoryId).Select(p => products.GetProduct(p.Id)));
    }

    public async Task<string> RenderAsync(int categoryId)
    {
        calls.Hit();
        var names = new List<Product>();
        foreach (var product in database.InCategory(categoryId))
        {
            names.Add(await asyncProducts.GetProductAsync(product.Id));
        }

        return Join(names);
    }

    public async ValueTask<string> RenderValueAsync(int categoryId)
    {
        calls.Hit();
        var names = new List<Product>();
        foreach (var product in database.InCategory(categoryId))
        {
            names.Add(await asyncProducts.GetProductValueAsync(product.Id));
        }

        return Join(names);
    }

    public string RenderInCatalogCache(int categoryId)
    {
        calls.Hit();
        return Join(database.InCategory(categoryId).Select(p => products.GetProduct(p.Id)));
    }

    public string RenderFeatured(int productId)
    {
        calls.Hit();
        CacheTags.Append($"Product_{productId}");
        return "Featured: " + database.Get(productId).Name;
    }

    private static string Join(IEnumerable<Product> products) => string.Join(", ", products.Select(p => p.Name));
}

public sealed class Storefront(CallCounter calls, ICategoryPages pages) : IStorefront
{
    public async Task<string> RenderHomeAsync(int categoryId)
    {
        calls.Hit();
        await Task.Yield();
        return "Home: " + await pages.RenderAsync(categoryId);
    }
}
