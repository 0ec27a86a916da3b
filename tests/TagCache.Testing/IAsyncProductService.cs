namespace TagCache.Testing;

public interface IAsyncProductService
{
    [CacheWithTags("Product_{id}")]
    Task<Product> GetProductAsync(int id);

    [CacheWithTags("Product_{id}")]
    ValueTask<Product> GetProductValueAsync(int id);

    [CacheWithTags("Product_{id}", "Category_{result.CategoryId}")]
    Task<Product> GetTaggedByCategoryAsync(int id, CancellationToken cancellationToken);

    [CacheWithTags("Category_{categoryId}")]
    ValueTask<IReadOnlyList<Product>> ListCategoryAsync(int categoryId);

    [InvalidateTags("Product_{product.Id}", "Category_{product.CategoryId}")]
    Task SaveAsync(Product product);

    [InvalidateTags("Product_{id}")]
    ValueTask TouchAsync(int id);

    [InvalidateTags("Product_{result.Id}", "Category_{result.CategoryId}")]
    Task<Product> RenameAsync(int id, string name);

    [InvalidateTags("Product_{id}")]
    Task FailToSaveAsync(int id);

    [InvalidateTags("Product_{id}")]
    ValueTask FailToTouchAsync(int id);

    [CacheWithTags("Product_{id}")]
    Task<Product> GetOrThrowAsync(int id);

    [CacheWithTags("Product_{id}")]
    ValueTask<Product> GetOrThrowValueAsync(int id);

    [CacheWithTags("Product_{id}", Cache = "catalog", Timeout = 60)]
    ValueTask<Product> GetFromCatalogShortLivedAsync(int id);

    [CacheWithTags("Slow_{id}")]
    Task<Product> GetSlowAsync(int id);

    Task<Product> GetUncachedAsync(int id);
}

public sealed class AsyncProductService(ProductDatabase database, CallCounter calls) : IAsyncProductService
{
    public InvalidOperationException Failure { get; } = new("The database is down.");

    /// <summary>Gets the gate <see cref="GetSlowAsync"/> waits for, to hold a computation open.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<Product> GetProductAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        return database.Get(id);
    }

    public async ValueTask<Product> GetProductValueAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        return database.Get(id);
    }

    public async Task<Product> GetTaggedByCategoryAsync(int id, CancellationToken cancellationToken)
    {
        calls.Hit();
        await Task.Delay(1, cancellationToken);
        return database.Get(id);
    }

    public async ValueTask<IReadOnlyList<Product>> ListCategoryAsync(int categoryId)
    {
        calls.Hit();
        await Task.Yield();
        return database.InCategory(categoryId);
    }

    /// <summary>Gets or sets what <see cref="SaveAsync"/> waits for before saving, when a test needs it still running.</summary>
    public TaskCompletionSource? SaveGate { get; set; }

    public async Task SaveAsync(Product product)
    {
        calls.Hit();
        if (SaveGate is { } gate)
        {
            await gate.Task;
        }
        else
        {
            await Task.Yield();
        }

        database.Put(product);
    }

    public async ValueTask TouchAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
    }

    public async Task<Product> RenameAsync(int id, string name)
    {
        calls.Hit();
        await Task.Yield();
        var renamed = database.Get(id) with { Name = name };
        database.Put(renamed);
        return renamed;
    }

    public async Task FailToSaveAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        throw Failure;
    }

    public async ValueTask FailToTouchAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        throw Failure;
    }

    public async Task<Product> GetOrThrowAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        return id < 0 ? throw Failure : database.Get(id);
    }

    public async ValueTask<Product> GetOrThrowValueAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        return id < 0 ? throw Failure : database.Get(id);
    }

    public async ValueTask<Product> GetFromCatalogShortLivedAsync(int id)
    {
        calls.Hit();
        await Task.Yield();
        return database.Get(id);
    }

    public async Task<Product> GetSlowAsync(int id)
    {
        calls.Hit();
        await Gate.Task;
        return database.Get(id);
    }

    public Task<Product> GetUncachedAsync(int id)
    {
        calls.Hit();
        return Task.FromResult(database.Get(id));
    }
}
