namespace TagCache.Reliability.Tests.BadInput;

#pragma warning disable SA1402, CA1040 // One small contract per bad input keeps the catalog readable in one place.

public sealed class Item
{
    public int Id { get; set; }

    public int? CategoryId { get; set; }
}

public interface IUnknownName
{
    [CacheWithTags("Product_{idd}")]
    int Get(int id);
}

public interface IBadMemberPath
{
    [CacheWithTags("Product_{item.Nope}", Key = "item:{item.Id}")]
    int Get(Item item);
}

public interface IUnclosedBrace
{
    [CacheWithTags("Product_{id")]
    int Get(int id);
}

public interface IUnopenedBrace
{
    [CacheWithTags("Product_id}")]
    int Get(int id);
}

public interface IEmptyTemplate
{
    [CacheWithTags("")]
    int Get(int id);
}

public interface IBlankTemplate
{
    [CacheWithTags("   ")]
    int Get(int id);
}

public interface INullTemplate
{
    [CacheWithTags("Product_{id}", null!)]
    int Get(int id);
}

public interface IEmptyPlaceholder
{
    [CacheWithTags("Product_{}")]
    int Get(int id);
}

public interface INotAPath
{
    [CacheWithTags("Product_{id + 1}")]
    int Get(int id);
}

public interface IControlCharacterTemplate
{
    [CacheWithTags("Product_\t{id}")]
    int Get(int id);
}

public interface IResultInKey
{
    [CacheWithTags("Product_{id}", Key = "p:{result}")]
    int Get(int id);
}

public interface IResultWithoutResult
{
    [InvalidateTags("Product_{result.Id}")]
    void Save(int id);
}

public interface IAdjacentKeyPlaceholders
{
    [CacheWithTags("Product_{a}", Key = "{a}{b}")]
    int Get(int a, int b);
}

public interface IBackslashInKey
{
    [CacheWithTags("Product_{id}", Key = "p\\{id}")]
    int Get(int id);
}

public interface INullMarkerInKey
{
    [CacheWithTags("Product_{id}", Key = "p\u2205{id}")]
    int Get(int id);
}

public interface IUnstableTagValue
{
    [CacheWithTags("Item_{item}", Key = "item:{item.Id}")]
    int Get(Item item);
}

public interface IUnstableDefaultKeyObject
{
    [CacheWithTags("Thing")]
    int Get(object thing);
}

public interface IUnstableDefaultKeyClass
{
    [CacheWithTags("Item_{item.Id}")]
    int Get(Item item);
}

public interface INegativeTimeout
{
    [CacheWithTags("Product_{id}", Timeout = -1)]
    int Get(int id);
}

public interface IUnknownCache
{
    [CacheWithTags("Product_{id}", Cache = "nope")]
    int Get(int id);
}

public interface IUnknownInvalidationCache
{
    [InvalidateTags("Product_{id}", Cache = "nope")]
    void Save(int id);
}

public interface ICachedVoid
{
    [CacheWithTags("Product_{id}")]
    void Save(int id);
}

public interface ICachedTask
{
    [CacheWithTags("Product_{id}")]
    Task SaveAsync(int id);
}

public interface IRefParameter
{
    [CacheWithTags("Product_{id}")]
    int Get(ref int id);
}

public interface IGenericMethod
{
    [CacheWithTags("Product_{id}")]
    T Get<T>(int id);
}

public interface ICachedAsyncEnumerable
{
    [CacheWithTags("Product_{id}")]
    IAsyncEnumerable<int> Stream(int id);
}

/// <summary>The target behind every broken contract; it is never called, because the container refuses to build.</summary>
public sealed class NeverCalled :
    IUnknownName, IBadMemberPath, IUnclosedBrace, IUnopenedBrace, IEmptyTemplate, IBlankTemplate, INullTemplate, IEmptyPlaceholder,
    INotAPath, IControlCharacterTemplate, IResultInKey, IResultWithoutResult, IAdjacentKeyPlaceholders, IBackslashInKey, INullMarkerInKey,
    IUnstableTagValue, IUnstableDefaultKeyObject, IUnstableDefaultKeyClass, INegativeTimeout, IUnknownCache, IUnknownInvalidationCache,
    ICachedVoid, ICachedTask, IRefParameter, IGenericMethod, ICachedAsyncEnumerable
{
    public int Get(int id) => throw new NotSupportedException();

    public int Get(Item item) => throw new NotSupportedException();

    public int Get(int a, int b) => throw new NotSupportedException();

    public int Get(object thing) => throw new NotSupportedException();

    public int Get(ref int id) => throw new NotSupportedException();

    public T Get<T>(int id) => throw new NotSupportedException();

    public void Save(int id) => throw new NotSupportedException();

    public Task SaveAsync(int id) => throw new NotSupportedException();

    public IAsyncEnumerable<int> Stream(int id) => throw new NotSupportedException();
}
