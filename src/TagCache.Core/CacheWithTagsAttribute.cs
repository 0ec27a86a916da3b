namespace TagCache;

/// <summary>
/// Caches the method's result, stamped with the given tags. Tags are templates: <c>{id}</c> a parameter,
/// <c>{product.CategoryId}</c> a member of one, <c>{result.CategoryId}</c> a member of the result.
/// </summary>
/// <param name="tags">Tag templates; each formatted value becomes one tag of the entry.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CacheWithTagsAttribute(params string[] tags) : Attribute
{
    /// <summary>Gets the tag templates.</summary>
    public IReadOnlyList<string> Tags { get; } = tags ?? [];

    /// <summary>Gets or sets how long the entry lives, in seconds.</summary>
    /// <value>The default value is 0: the cache's default timeout. Negative values are rejected when the container is built.</value>
    public int Timeout { get; set; }

    /// <summary>Gets or sets a key template replacing the default key (method identity and every argument).</summary>
    /// <value>The default value is <see langword="null"/>: the default key.</value>
    public string? Key { get; set; }

    /// <summary>Gets or sets the name of the cache to use.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="TagCacheOptions.DefaultCacheName"/>.</value>
    public string? Cache { get; set; }
}
