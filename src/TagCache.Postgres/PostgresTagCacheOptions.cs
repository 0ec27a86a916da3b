using System.Text.RegularExpressions;

namespace TagCache.Postgres;

/// <summary>
/// How the nodes share tag versions through PostgreSQL (see <see cref="PostgresTagCacheOptionsExtensions.UsePostgres"/>).
/// Every node that names the same database and <see cref="Schema"/> sees every other node's invalidations. The defaults
/// suit a web farm; the bound on staleness is <see cref="MaxStaleness"/>.
/// </summary>
public sealed partial class PostgresTagCacheOptions
{
    private string _schema = "tagcache";
    private TimeSpan _maxStaleness = TimeSpan.FromSeconds(5);
    private TimeSpan _pollInterval = TimeSpan.FromSeconds(1);
    private TimeSpan _retention = TimeSpan.FromHours(24);
    private TimeSpan _pruneInterval = TimeSpan.FromMinutes(5);
    private TimeSpan _maxReconnectDelay = TimeSpan.FromSeconds(5);
    private int _batchSize = 10_000;

    /// <summary>Initializes a new instance of the <see cref="PostgresTagCacheOptions"/> class.</summary>
    /// <param name="connectionString">The database every node shares, for writes, catch-up reads and retention.</param>
    internal PostgresTagCacheOptions(string connectionString) => ConnectionString = connectionString;

    /// <summary>Gets the connection string for writes, catch-up reads and retention (any pooling, PgBouncer included).</summary>
    public string ConnectionString { get; }

    /// <summary>
    /// Gets or sets the connection string of the one connection each node keeps open to <c>LISTEN</c>; <see langword="null"/>
    /// (the default) uses <see cref="ConnectionString"/>. <c>LISTEN</c> needs a session of its own, so it cannot go through
    /// PgBouncer's transaction or statement pooling: when <see cref="ConnectionString"/> points at such a pooler, point
    /// this at PostgreSQL itself (or at a session-pooled PgBouncer database).
    /// </summary>
    public string? ListenConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the schema of the invalidation log (<c>tagcache</c> by default): nodes that share it share their tag
    /// versions. A lower-case SQL identifier: letters, digits and underscores, starting with a letter or underscore.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not such an identifier.</exception>
    public string Schema
    {
        get => _schema;
        set => _schema = value is not null && IdentifierPattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"Schema '{value}' is not a lower-case SQL identifier of at most 40 characters (letters, digits, '_'; not starting with a digit), e.g. \"tagcache\".", nameof(value));
    }

    /// <summary>
    /// Gets or sets whether the schema, the log table, its sequence and its state row are created on first use when
    /// missing (the default). Turn it off where the application's database role may not create objects; the SQL to run
    /// instead is in <c>docs/distributed.md</c>.
    /// </summary>
    public bool CreateSchema { get; set; } = true;

    /// <summary>
    /// Gets or sets the staleness bound (5 seconds by default): a node serves a hit only if it has read the whole log, up
    /// to its head, in a catch-up that began within this time. No node serves a value for longer than this after the
    /// invalidation that made it stale committed, whatever fails; past it, reads compute fresh and store nothing until
    /// the node has caught up. At least twice <see cref="PollInterval"/>, so a healthy node never reaches it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MaxStaleness
    {
        get => _maxStaleness;
        set => _maxStaleness = Positive(value, nameof(MaxStaleness));
    }

    /// <summary>
    /// Gets or sets how often a node reads the log when no notification woke it (1 second by default): the safety net for
    /// a notification that was lost, and what keeps the staleness bound from being reached while all is quiet.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan PollInterval
    {
        get => _pollInterval;
        set => _pollInterval = Positive(value, nameof(PollInterval));
    }

    /// <summary>
    /// Gets or sets how long the log keeps a row (24 hours by default). A node that was away longer than this (paused,
    /// cut off) cannot know what it missed, so it invalidates its whole cache when it comes back. Longer than
    /// <see cref="MaxStaleness"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan Retention
    {
        get => _retention;
        set => _retention = Positive(value, nameof(Retention));
    }

    /// <summary>
    /// Gets or sets how often a node tries to delete the rows older than <see cref="Retention"/> (5 minutes by default);
    /// one node at a time does it, under an advisory lock.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan PruneInterval
    {
        get => _pruneInterval;
        set => _pruneInterval = Positive(value, nameof(PruneInterval));
    }

    /// <summary>
    /// Gets or sets the longest wait between two attempts to reconnect the listening connection (5 seconds by default);
    /// attempts start at 100 ms and double up to it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan MaxReconnectDelay
    {
        get => _maxReconnectDelay;
        set => _maxReconnectDelay = Positive(value, nameof(MaxReconnectDelay));
    }

    /// <summary>Gets or sets how many log rows one catch-up query reads (10,000 by default); a longer backlog takes several.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = global::TagCache.Sharing.SharingSettings.PositiveCount(value, nameof(BatchSize));
    }

    /// <summary>Gets how a node follows the log, as every engine's node takes it.</summary>
    /// <summary>
    /// Shares values, not only tag versions, through the same database: an <c>UNLOGGED</c> table in <see cref="Schema"/>
    /// (created with it) holds each computed value with its stamp, so a node reads what another computed instead of
    /// computing it again, and a node that starts finds the values warm. Every node judges a value by the invalidation log
    /// before serving it (see <see cref="TagCacheOptions.UseSecondLevel"/>). Expired rows are deleted every
    /// <see cref="PruneInterval"/>.
    /// <code>
    /// options.UsePostgres(connectionString, pg => pg.UseSecondLevel(l2 => l2.MaximumValueBytes = 256 * 1024));
    /// </code>
    /// </summary>
    /// <param name="configure">Timeouts, size limit, compression, serializer.</param>
    /// <returns>These options, for chaining.</returns>
    public PostgresTagCacheOptions UseSecondLevel(Action<TagCacheSecondLevelOptions>? configure = null)
    {
        var settings = new TagCacheSecondLevelOptions();
        configure?.Invoke(settings);
        SecondLevel = settings;
        return this;
    }

    /// <summary>Gets the second level's options; null unless <see cref="UseSecondLevel"/> was called.</summary>
    internal TagCacheSecondLevelOptions? SecondLevel { get; private set; }

    internal global::TagCache.Sharing.SharingSettings Settings => new(MaxStaleness, PollInterval, Retention, PruneInterval, MaxReconnectDelay, BatchSize);

    /// <summary>Lists the problems of options that are each valid alone but not together.</summary>
    internal IEnumerable<string> FindProblems() => Settings.FindProblems();

    private static TimeSpan Positive(TimeSpan value, string name) => global::TagCache.Sharing.SharingSettings.Positive(value, name);

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$")]
    private static partial Regex IdentifierPattern();
}
