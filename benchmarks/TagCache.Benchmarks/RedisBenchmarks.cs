using TagCache.Redis;
using TagCache.Testing;

namespace TagCache.Benchmarks;

/// <summary>Sharing tag versions through Redis (<see cref="SharedVersionsBenchmarks"/>): the append script (counter, stream entry, publish).</summary>
public class RedisBenchmarks : SharedVersionsBenchmarks
{
    private RedisServer _server = null!;

    protected override IDisposable StartServer() => _server = RedisServer.Start();

    protected override void Share(TagCacheOptions options, string space) => options.UseRedis(_server.Configuration, redis => redis.Prefix = space);
}
