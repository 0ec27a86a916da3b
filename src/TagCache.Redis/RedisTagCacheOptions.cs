using System.Text.RegularExpressions;
using TagCache.Sharing;

namespace TagCache.Redis;

/// <summary>
/// How TagCache shares tag versions (and, with <see cref="UseSecondLevel"/>, values) through Redis. Every node that names
/// the same server and <see cref="Prefix"/> sees every other node's invalidations. The options mean what they mean for
/// PostgreSQL (<c>TagCache.Postgres</c>): one model, two engines; the bound on staleness is <see cref="MaxStaleness"/>.
/// </summary>
public sealed partial class RedisTagCacheOptions
{
    private string _prefix = "tagcache";
    private TimeSpan _maxStaleness = TimeSpan.FromSeconds(5);
    private TimeSpan _pollInterval = TimeSpan.FromSeconds(1);
    private TimeSpan _retention = TimeSpan.FromHours(24);
    private TimeSpan _pruneInterval = TimeSpan.FromMinutes(5);
    private TimeSpan _maxReconnectDelay = TimeSpan.FromSeconds(5);
    private int _batchSize = 10_000;

    internal RedisTagCacheOptions(string configuration) => Configuration = configuration;

    /// <summary>Gets the StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>.</summary>
    public string Configuration { get; }

    /// <summary>
    /// Gets or sets what the log's keys start with: <c>{prefix}:log</c> (a stream), <c>{prefix}:seq</c>, <c>{prefix}:id</c>,
    /// <c>{prefix}:pruned</c>, all in one Redis Cluster hash slot (the braces), and the wake-up channel
    /// <c>prefix:invalidations</c>. Letters, digits, '_', '-' and '.', at most 40.
    /// </summary>
    /// <value>The default value is <c>tagcache</c>.</value>
    /// <exception cref="ArgumentException">The prefix is empty, too long or has other characters.</exception>
    public string Prefix
    {
        get => _prefix;
        set => _prefix = value is not null && PrefixPattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"Prefix '{value}' is not 1 to 40 letters, digits, '_', '-' or '.', e.g. \"tagcache\".", nameof(value));
    }

    /// <summary>
    /// Gets or sets the staleness bound: a node serves a tagged hit only if a catch-up that reached the log's head began less
    /// than this long ago; past it, reads compute fresh and store nothing (counted as <c>bypassed</c>) until the node has
    /// caught up. At least twice <see cref="PollInterval"/>, so a healthy node never reaches it.
    /// </summary>
    /// <value>The default value is 5 seconds.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MaxStaleness
    {
        get => _maxStaleness;
        set => _maxStaleness = SharingSettings.Positive(value, nameof(MaxStaleness));
    }

    /// <summary>
    /// Gets or sets how often a node reads the log when no wake-up came: what delivers an invalidation whose pub/sub message
    /// was lost (Redis drops messages for a disconnected subscriber), and what keeps the bound from being reached while all
    /// is quiet.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        set => _pollInterval = SharingSettings.Positive(value, nameof(PollInterval));
    }

    /// <summary>
    /// Gets or sets how long the stream keeps an invalidation: a node away for longer invalidates its whole cache when it
    /// returns. Longer than <see cref="MaxStaleness"/>.
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan Retention
    {
        get => _retention;
        set => _retention = SharingSettings.Positive(value, nameof(Retention));
    }

    /// <summary>Gets or sets how often a node trims the stream of entries older than <see cref="Retention"/>.</summary>
    /// <value>The default value is 5 minutes.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan PruneInterval
    {
        get => _pruneInterval;
        set => _pruneInterval = SharingSettings.Positive(value, nameof(PruneInterval));
    }

    /// <summary>Gets or sets the longest wait between two attempts to subscribe again; attempts start at 100 ms and double up to it.</summary>
    /// <value>The default value is 5 seconds.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MaxReconnectDelay
    {
        get => _maxReconnectDelay;
        set => _maxReconnectDelay = SharingSettings.Positive(value, nameof(MaxReconnectDelay));
    }

    /// <summary>Gets or sets how many stream entries one catch-up reads; a longer backlog takes several.</summary>
    /// <value>The default value is 10,000.</value>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = SharingSettings.PositiveCount(value, nameof(BatchSize));
    }

    /// <summary>
    /// Shares values, not only tag versions, through the same Redis: each computed value is stored with its stamp under
    /// <c>KeyPrefix</c> and a hash of its key, with its entry's expiry, so a node reads what another computed instead of
    /// computing it again. Every node judges a value by the invalidation log before serving it (see
    /// <see cref="TagCacheOptions.UseSecondLevel"/>).
    /// <code>
    /// options.UseRedis("redis:6379", redis => redis.UseSecondLevel(l2 => l2.CompressAboveBytes = 4096));
    /// </code>
    /// </summary>
    /// <param name="configure">Timeouts, size limit, compression, serializer.</param>
    /// <returns>These options, for chaining.</returns>
    public RedisTagCacheOptions UseSecondLevel(Action<TagCacheSecondLevelOptions>? configure = null)
    {
        var settings = new TagCacheSecondLevelOptions();
        configure?.Invoke(settings);
        SecondLevel = settings;
        return this;
    }

    /// <summary>Gets the second level's options; null unless <see cref="UseSecondLevel"/> was called.</summary>
    internal TagCacheSecondLevelOptions? SecondLevel { get; private set; }

    /// <summary>Gets how a node follows the log, as every engine's node takes it.</summary>
    internal SharingSettings Settings => new(MaxStaleness, PollInterval, Retention, PruneInterval, MaxReconnectDelay, BatchSize);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,40}$")]
    private static partial Regex PrefixPattern();
}
