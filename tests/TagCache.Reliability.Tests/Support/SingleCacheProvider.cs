namespace TagCache.Reliability.Tests.Support;

/// <summary>Serves one test cache as the default cache, so the interceptor uses it through the public contract.</summary>
public sealed class SingleCacheProvider(ITagCache cache) : ITagCacheProvider
{
    public ITagCache GetCache(string name) =>
        name == TagCacheOptions.DefaultCacheName ? cache : throw new KeyNotFoundException($"Only '{TagCacheOptions.DefaultCacheName}' is configured.");
}
