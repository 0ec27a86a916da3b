using TagCache;

namespace TagCache.Examples.Aot;

public enum Shelf
{
    Tea,
    Coffee,
}

public sealed record Product(int Id, string Name, decimal Price, Shelf Shelf);

public sealed record ShelfQuery(Shelf Shelf, decimal? MaximumPrice);

public interface ICatalog
{
    [CacheWithTags("Product_{id}", "Catalog")]
    Product Get(int id);

    [CacheWithTags("Catalog")]
    Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken);

    [InvalidateTags("Product_{id}")]
    void Rename(int id, string name);

    // A member path, an enum and a nullable decimal in the key and tags: read without compiled getters under AOT.
    [CacheWithTags("Shelf_{query.Shelf}", Key = "Shelf_{query.Shelf}_{query.MaximumPrice}")]
    IReadOnlyList<Product> OnShelf(ShelfQuery query);

    [InvalidateTags("Shelf_{shelf}")]
    void Restock(Shelf shelf);
}

/// <summary>A catalog over a dictionary, counting how often it is really asked.</summary>
public sealed class Catalog : ICatalog
{
    private readonly Dictionary<int, Product> _rows = new()
    {
        [1] = new Product(1, "Green tea", 4.5m, Shelf.Tea),
        [2] = new Product(2, "Espresso", 2.2m, Shelf.Coffee),
    };

    public int Reads { get; private set; }

    public Product Get(int id)
    {
        Reads++;
        return _rows[id];
    }

    public Task<IReadOnlyList<Product>> ListAsync(CancellationToken cancellationToken)
    {
        Reads++;
        return Task.FromResult<IReadOnlyList<Product>>([.. _rows.Values]);
    }

    public void Rename(int id, string name) => _rows[id] = _rows[id] with { Name = name };

    public IReadOnlyList<Product> OnShelf(ShelfQuery query)
    {
        Reads++;
        return [.. _rows.Values.Where(p => p.Shelf == query.Shelf && p.Price <= (query.MaximumPrice ?? decimal.MaxValue))];
    }

    public void Restock(Shelf shelf)
    {
    }
}
