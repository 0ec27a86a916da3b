using StackExchange.Redis;
using TagCache.Redis.SecondLevel;
using TagCache.Redis.Sharing;
using TagCache.SecondLevel;
using TagCache.Sharing;
using TagCache.Testing;
using TagCache.Testing.Contract;

namespace TagCache.Redis.Tests.Support;

/// <summary>The redis-server the tests that do not stop it share; each test still gets its own key prefix.</summary>
[TestClass]
public static class SharedRedis
{
    private static RedisServer? _server;

    public static RedisServer Server => _server ?? throw new InvalidOperationException("The shared redis-server was not started.");

    [AssemblyInitialize]
    public static void Start(TestContext context) => _server = RedisServer.Start();

    [AssemblyCleanup]
    public static void Stop() => _server?.Dispose();
}

/// <summary>Redis as the contract tests drive it: a key prefix per test on a server.</summary>
internal sealed class RedisEngine(Func<RedisServer> server) : SharingEngine
{
    public override string Name => "Redis";

    public RedisServer Server => server();

    public override string NewSpace() => "t" + Guid.NewGuid().ToString("N")[..12];

    internal override void Share(TagCacheOptions options, string space, TimeSpan maxStaleness, Func<IInvalidationLog, IInvalidationLog>? log, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel)
    {
        var configuration = Server.Configuration;
        RedisTagCacheOptions? redis = null;
        options.UseRedis(configuration, r =>
        {
            r.Prefix = space;
            r.PollInterval = TimeSpan.FromMilliseconds(100);
            r.MaxStaleness = maxStaleness;
            r.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
            redis = r;
        });
        if (log is not null)
        {
            options.SharedVersions = (loggers, time) => new SharedVersionNode(log(new RedisInvalidationLog(new Connection(ConfigurationOptions.Parse(configuration)), space)), redis!.Settings, time, loggers, includeSensitiveData: false);
        }

        if (secondLevel is not null)
        {
            options.SetSecondLevel(new SecondLevelRegistration(_ => secondLevel(new RedisSecondLevelStore(new Connection(ConfigurationOptions.Parse(configuration)))), new TagCacheSecondLevelOptions { KeyPrefix = space + ":" }.Resolve()));
        }
    }

    public override void LoseTheLog(string space) => Server.Cli("DEL", $"{{{space}}}:id", $"{{{space}}}:seq", $"{{{space}}}:log", $"{{{space}}}:pruned");
}

[TestClass]
[TestCategory("Server")]
public sealed class RedisContractTests : SharedVersionsContract
{
    protected override SharingEngine Engine { get; } = new RedisEngine(() => SharedRedis.Server);
}
