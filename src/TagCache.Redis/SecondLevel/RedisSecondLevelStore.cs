using StackExchange.Redis;
using TagCache.Redis.Sharing;
using TagCache.SecondLevel;

namespace TagCache.Redis.SecondLevel;

/// <summary>The second level in Redis: each payload a string key with its entry's expiry (keys spread over a cluster's slots).</summary>
internal sealed class RedisSecondLevelStore(Connection connection) : ISecondLevelStore
{
    public string Name => "Redis";

    public async ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var database = (await connection.GetAsync(async: true).ConfigureAwait(false)).GetDatabase();
        return (byte[]?)await database.StringGetAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        var database = (await connection.GetAsync(async: true).ConfigureAwait(false)).GetDatabase();
        var expiry = expires is { } at ? at - DateTimeOffset.UtcNow : (TimeSpan?)null;
        if (expiry <= TimeSpan.Zero)
        {
            return;
        }

        var write = expiry is { } ttl ? database.StringSetAsync(key, payload, ttl) : database.StringSetAsync(key, payload);
        await write.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(string key, CancellationToken cancellationToken)
    {
        var database = (await connection.GetAsync(async: true).ConfigureAwait(false)).GetDatabase();
        await database.KeyDeleteAsync(key).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
