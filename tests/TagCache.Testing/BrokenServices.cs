namespace TagCache.Testing;

public interface IBrokenService
{
    [CacheWithTags("Product_{idd}")]
    Product UnknownParameter(int id);

    [CacheWithTags("Product_{product.Nmae}", Key = "product:{product.Id}")]
    Product UnknownMember(Product product);

    [CacheWithTags("Product_{id}", Timeout = -5)]
    Product NegativeTimeout(int id);

    [CacheWithTags("Product_{id}", Cache = "nope")]
    Product UnknownCache(int id);

    [CacheWithTags("Product_{id}")]
    void NoResult(int id);

    [CacheWithTags("Product_{id}")]
    Task NoTaskResult(int id);

    [CacheWithTags("Product_{product.Id}")]
    Product UnsupportedArgument(Product product);

    [InvalidateTags("Product_{x}")]
    void InvalidateUnknown(int id);

    [CacheWithTags("Product_{id")]
    Product Unclosed(int id);

    Product Fine(int id);
}

public sealed class BrokenService : IBrokenService
{
    public Product UnknownParameter(int id) => throw new NotSupportedException();

    public Product UnknownMember(Product product) => throw new NotSupportedException();

    public Product NegativeTimeout(int id) => throw new NotSupportedException();

    public Product UnknownCache(int id) => throw new NotSupportedException();

    public void NoResult(int id) => throw new NotSupportedException();

    public Task NoTaskResult(int id) => throw new NotSupportedException();

    public Product UnsupportedArgument(Product product) => throw new NotSupportedException();

    public void InvalidateUnknown(int id) => throw new NotSupportedException();

    public Product Unclosed(int id) => throw new NotSupportedException();

    public Product Fine(int id) => throw new NotSupportedException();
}

public interface ICounterService
{
    int Next(int id);

    int Peek(int id);
}

/// <summary>Declares its caching on the class, not the interface.</summary>
public sealed class CounterService : ICounterService
{
    private int _count;

    [CacheWithTags("Counter_{id}")]
    public int Next(int id) => Interlocked.Increment(ref _count);

    public int Peek(int id) => Volatile.Read(ref _count);
}

public interface IBrokenOnClass
{
    Product Get(int id);
}

public sealed class BrokenOnClass : IBrokenOnClass
{
    [CacheWithTags("Product_{nope}")]
    public Product Get(int id) => throw new NotSupportedException();
}
