using System.Collections.Concurrent;
using Npgsql;

namespace TagCache.Examples.Web;

/// <summary>Where the catalog's products are kept.</summary>
public interface IProductTable
{
    /// <summary>Reads one product.</summary>
    /// <param name="id">The product id.</param>
    /// <returns>The product, or null.</returns>
    Task<Product?> GetAsync(int id);

    /// <summary>Reads the products of a category, by id.</summary>
    /// <param name="categoryId">The category id.</param>
    /// <returns>The products.</returns>
    Task<IReadOnlyList<Product>> InCategoryAsync(int categoryId);

    /// <summary>Writes a product.</summary>
    /// <param name="product">The new state.</param>
    /// <returns>The state it replaced, or null for a new product.</returns>
    Task<Product?> UpsertAsync(Product product);
}

/// <summary>The products of one instance, in memory: the default.</summary>
public sealed class InMemoryProductTable : IProductTable
{
    private readonly ConcurrentDictionary<int, Product> _products = new(Seed.Products.ToDictionary(p => p.Id));

    /// <inheritdoc/>
    public async Task<Product?> GetAsync(int id)
    {
        await Task.Yield();
        return _products.GetValueOrDefault(id);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Product>> InCategoryAsync(int categoryId)
    {
        await Task.Yield();
        return [.. _products.Values.Where(p => p.CategoryId == categoryId).OrderBy(p => p.Id)];
    }

    /// <inheritdoc/>
    public async Task<Product?> UpsertAsync(Product product)
    {
        await Task.Yield();
        Product? previous = null;
        _products.AddOrUpdate(product.Id, product, (_, old) =>
        {
            previous = old;
            return product;
        });
        return previous;
    }
}

/// <summary>The products in PostgreSQL, shared by every instance (<c>ConnectionStrings:Catalog</c>); the table is created and seeded on first use.</summary>
/// <param name="data">The database.</param>
public sealed class PostgresProductTable(NpgsqlDataSource data) : IProductTable
{
    private int _created;

    /// <inheritdoc/>
    public async Task<Product?> GetAsync(int id)
    {
        await EnsureTableAsync();
        await using var command = data.CreateCommand("SELECT id, name, category_id, price FROM catalog_products WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return (await ReadAsync(command)).SingleOrDefault();
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Product>> InCategoryAsync(int categoryId)
    {
        await EnsureTableAsync();
        await using var command = data.CreateCommand("SELECT id, name, category_id, price FROM catalog_products WHERE category_id = $1 ORDER BY id");
        command.Parameters.Add(new NpgsqlParameter { Value = categoryId });
        return await ReadAsync(command);
    }

    /// <inheritdoc/>
    public async Task<Product?> UpsertAsync(Product product)
    {
        await EnsureTableAsync();
        await using var connection = await data.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var select = new NpgsqlCommand("SELECT id, name, category_id, price FROM catalog_products WHERE id = $1 FOR UPDATE", connection, transaction);
        select.Parameters.Add(new NpgsqlParameter { Value = product.Id });
        var previous = (await ReadAsync(select)).SingleOrDefault();
        await using var upsert = new NpgsqlCommand(
            "INSERT INTO catalog_products (id, name, category_id, price) VALUES ($1, $2, $3, $4) " +
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, category_id = excluded.category_id, price = excluded.price",
            connection,
            transaction);
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Id });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Name });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.CategoryId });
        upsert.Parameters.Add(new NpgsqlParameter { Value = product.Price });
        await upsert.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
        return previous;
    }

    private static async Task<IReadOnlyList<Product>> ReadAsync(NpgsqlCommand command)
    {
        var products = new List<Product>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            products.Add(new Product(reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetDecimal(3)));
        }

        return products;
    }

    private async Task EnsureTableAsync()
    {
        if (Volatile.Read(ref _created) == 1)
        {
            return;
        }

        await using var batch = data.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_advisory_xact_lock(4242)"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand("CREATE TABLE IF NOT EXISTS catalog_products (id int PRIMARY KEY, name text NOT NULL, category_id int NOT NULL, price numeric NOT NULL)"));
        foreach (var product in Seed.Products)
        {
            var insert = new NpgsqlBatchCommand("INSERT INTO catalog_products (id, name, category_id, price) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING");
            insert.Parameters.Add(new NpgsqlParameter { Value = product.Id });
            insert.Parameters.Add(new NpgsqlParameter { Value = product.Name });
            insert.Parameters.Add(new NpgsqlParameter { Value = product.CategoryId });
            insert.Parameters.Add(new NpgsqlParameter { Value = product.Price });
            batch.BatchCommands.Add(insert);
        }

        await batch.ExecuteNonQueryAsync();
        Volatile.Write(ref _created, 1);
    }
}

/// <summary>The products every table starts with.</summary>
internal static class Seed
{
    public static readonly Product[] Products = [new(1, "Tea", 10, 3.5m), new(2, "Coffee", 10, 4.0m), new(3, "Cake", 20, 5.25m)];
}
