using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace TagCache.Testing;

public sealed record Product(int Id, string Name, int CategoryId);

/// <summary>The data behind the services; tests change it to tell a cached answer from a fresh one.</summary>
public sealed class ProductDatabase
{
    private readonly ConcurrentDictionary<int, Product> _products = new();

    public ProductDatabase()
    {
        Put(new Product(1, "Tea", 10));
        Put(new Product(2, "Coffee", 10));
        Put(new Product(3, "Cake", 20));
    }

    public Product Get(int id) => _products[id];

    public void Put(Product product) => _products[product.Id] = product;

    public IReadOnlyList<Product> InCategory(int categoryId) =>
        [.. _products.Values.Where(p => p.CategoryId == categoryId).OrderBy(p => p.Id)];
}

/// <summary>Counts how often each target method really ran.</summary>
public sealed class CallCounter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Hit([CallerMemberName] string method = "") => _counts.AddOrUpdate(method, 1, static (_, count) => count + 1);

    public int this[string method] => _counts.TryGetValue(method, out var count) ? count : 0;
}
