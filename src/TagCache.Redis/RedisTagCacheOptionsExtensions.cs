using StackExchange.Redis;
using TagCache.Redis.SecondLevel;
using TagCache.Redis.Sharing;
using TagCache.SecondLevel;
using TagCache.Sharing;

namespace TagCache.Redis;

/// <summary>Shares a TagCache's tag versions (and values) with every node through Redis.</summary>
public static class RedisTagCacheOptionsExtensions
{
    /// <summary>
    /// Makes every cache's tag versions shared by all nodes that use the same Redis and <see cref="RedisTagCacheOptions.Prefix"/>:
    /// an invalidation on one node is appended to a Redis Stream and applied by every other node, promptly through pub/sub,
    /// surely through polling and catch-up from the last entry applied (pub/sub alone loses messages). A node that finds
    /// the log gone or rewound (a flush, a restart, an eviction, a failover) invalidates its whole cache. Values stay in each
    /// node's memory unless <see cref="RedisTagCacheOptions.UseSecondLevel"/> shares them too.
    /// <code>
    /// builder.AddTagCache(options => options.UseRedis("redis:6379", redis => redis.MaxStaleness = TimeSpan.FromSeconds(2)));
    /// </code>
    /// </summary>
    /// <param name="options">The TagCache options.</param>
    /// <param name="configuration">The StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>.</param>
    /// <param name="configure">Sets the staleness bound, polling, retention, the key prefix and the second level.</param>
    /// <returns>The options, for chaining.</returns>
    /// <exception cref="ArgumentException">The configuration is empty or cannot be parsed, or shared versions were configured already.</exception>
    /// <exception cref="TagCacheConfigurationException">The options contradict each other (see <see cref="RedisTagCacheOptions.MaxStaleness"/>).</exception>
    public static TagCacheOptions UseRedis(this TagCacheOptions options, string configuration, Action<RedisTagCacheOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        if (options.SharedVersions is not null)
        {
            throw new ArgumentException("Shared tag versions were configured already on these options (UseRedis or UsePostgres); call one of them, once.", nameof(options));
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException exception)
        {
            throw new ArgumentException($"The Redis configuration '{configuration}' cannot be parsed: {exception.Message}", nameof(configuration), exception);
        }

        var redis = new RedisTagCacheOptions(configuration);
        configure?.Invoke(redis);
        var problems = redis.Settings.FindProblems().ToList();
        if (problems.Count > 0)
        {
            throw new TagCacheConfigurationException(problems, "UseRedis options");
        }

        if (redis.SecondLevel is { } secondLevel)
        {
            options.SetSecondLevel(new SecondLevelRegistration(_ => new RedisSecondLevelStore(new Connection(parsed)), secondLevel.Resolve()));
        }

        // Read when the caches are made, after every configure step has run.
        options.SharedVersions = (loggers, time) =>
            new SharedVersionNode(new RedisInvalidationLog(new Connection(parsed), redis.Prefix), redis.Settings, time, loggers, options.Telemetry.IncludeSensitiveData);
        return options;
    }
}
