using Microsoft.Extensions.Caching.Distributed;

namespace TagCache.SecondLevel;

/// <summary>A second level over any <see cref="IDistributedCache"/> (Redis, SQL Server, …): the container owns the cache, so disposing this leaves it alone.</summary>
internal sealed class DistributedSecondLevelStore(IDistributedCache cache) : ISecondLevelStore
{
    public string Name { get; } = cache.GetType().Name;

    public async ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken) =>
        await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);

    public async ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken) =>
        await cache.SetAsync(key, payload, new DistributedCacheEntryOptions { AbsoluteExpiration = expires }, cancellationToken).ConfigureAwait(false);

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken) =>
        await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
