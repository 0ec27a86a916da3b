namespace TagCache.Testing;

public sealed record ProductRenamed(int ProductId, int CategoryId);

/// <summary>The handler contract an application's event dispatcher resolves.</summary>
public interface IHandle<in TEvent>
{
    void Handle(TEvent e);
}

public interface IAsyncProductEvents
{
    [InvalidateTags("Product_{e.ProductId}", "Category_{e.CategoryId}")]
    Task HandleAsync(ProductRenamed e, CancellationToken cancellationToken);
}

/// <summary>Invalidation declared on the handler's method; the interface stays free of caching concerns.</summary>
public sealed class ProductRenamedHandler(CallCounter calls) : IHandle<ProductRenamed>, IAsyncProductEvents
{
    public InvalidOperationException? FailWith { get; set; }

    [InvalidateTags("Product_{e.ProductId}")]
    public void Handle(ProductRenamed e)
    {
        calls.Hit();
        if (FailWith is { } failure)
        {
            throw failure;
        }
    }

    public async Task HandleAsync(ProductRenamed e, CancellationToken cancellationToken)
    {
        calls.Hit();
        await Task.Yield();
    }
}
