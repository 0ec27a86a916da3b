using System.Diagnostics;
using Npgsql;
using TagCache.Postgres.Sharing;
using TagCache.Sharing;
using TagCache.Stores;
using TagCache.Testing;

namespace TagCache.Postgres.Tests.Support;

/// <summary>
/// Several nodes in this process, each a provider with its own connections, sharing one schema (new per test, so tests
/// never see each other's rows) of one PostgreSQL server.
/// </summary>
internal sealed class Cluster : IDisposable
{
    private static readonly TimeSpan ReadyGuard = TimeSpan.FromSeconds(30);

    private readonly List<TagCacheProvider> _nodes = [];

    public Cluster(PostgresServer server, int nodes = 0, Action<PostgresTagCacheOptions>? configure = null)
    {
        Server = server;
        Schema = "t_" + Guid.NewGuid().ToString("N")[..16];
        Configure = configure;
        for (var i = 0; i < nodes; i++)
        {
            AddNode();
        }
    }

    public PostgresServer Server { get; }

    public string Schema { get; }

    public Action<PostgresTagCacheOptions>? Configure { get; }

    public IReadOnlyList<TagCacheProvider> Nodes => _nodes;

    public LogCapture Logs { get; } = new();

    /// <summary>Adds a node and waits for its first catch-up, after which it serves hits.</summary>
    /// <param name="configure">More PostgreSQL options for this node.</param>
    /// <param name="options">More TagCache options for this node.</param>
    /// <param name="log">Wraps the node's log (to pause or blind it); the real log when null.</param>
    /// <param name="waitUntilReady">Whether to wait for the node's first catch-up.</param>
    public TagCacheProvider AddNode(Action<PostgresTagCacheOptions>? configure = null, Action<TagCacheOptions>? options = null, Func<IInvalidationLog, IInvalidationLog>? log = null, bool waitUntilReady = true)
    {
        var node = Create(configure, options, log);
        _nodes.Add(node);
        if (waitUntilReady && !NodeOf(node).Ready.Wait(ReadyGuard))
        {
            throw new TimeoutException($"The node did not catch up with the log within {ReadyGuard}.");
        }

        return node;
    }

    /// <summary>A node of this cluster that the caller disposes.</summary>
    public TagCacheProvider Create(Action<PostgresTagCacheOptions>? configure = null, Action<TagCacheOptions>? options = null, Func<IInvalidationLog, IInvalidationLog>? log = null) =>
        TagCacheFactory.Create(
            o =>
            {
                o.TrackStatistics = true;
                options?.Invoke(o);
                UsePostgres(o, configure, log);
            },
            loggerFactory: Logs.Factory);

    /// <summary>Shares the options' tag versions through this cluster's schema, the node's log wrapped by <paramref name="log"/> if given.</summary>
    public void UsePostgres(TagCacheOptions options, Action<PostgresTagCacheOptions>? configure = null, Func<IInvalidationLog, IInvalidationLog>? log = null)
    {
        PostgresTagCacheOptions? postgres = null;
        options.UsePostgres(Server.ConnectionString, pg =>
        {
            Apply(pg, configure);
            postgres = pg;
        });
        if (log is not null)
        {
            options.SharedVersions = (loggers, time) => new SharedVersionNode(log(new PostgresInvalidationLog(postgres!)), postgres!.Settings, time, loggers, includeSensitiveData: false);
        }
    }

    /// <summary>The options every node of this cluster gets: fast polling, so tests run in seconds.</summary>
    public void Apply(PostgresTagCacheOptions pg, Action<PostgresTagCacheOptions>? configure = null)
    {
        pg.Schema = Schema;
        pg.PollInterval = TimeSpan.FromMilliseconds(100);
        pg.MaxStaleness = TimeSpan.FromSeconds(1);
        pg.MaxReconnectDelay = TimeSpan.FromMilliseconds(500);
        Configure?.Invoke(pg);
        configure?.Invoke(pg);
    }

    public static SharedVersionNode NodeOf(TagCacheProvider provider) => ((SharedTagVersionStore)Store(provider).Versions).Node;

    public static TagCacheStore Store(TagCacheProvider provider, string cache = TagCacheOptions.DefaultCacheName) => provider.GetStore(cache);

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static TimeSpan WaitUntil(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new AssertFailedException($"Timed out after {timeout} waiting until {what}.");
            }

            Thread.Sleep(2);
        }

        return clock.Elapsed;
    }

    /// <summary>As <see cref="WaitUntil"/>, yielding instead of sleeping, for latencies below a millisecond.</summary>
    public static void WaitUntilSpinning(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new AssertFailedException($"Timed out after {timeout} waiting until {what}.");
            }

            Thread.Yield();
        }
    }

    /// <summary>Runs SQL on the server directly (as an operator would), e.g. to terminate the listeners.</summary>
    public T Scalar<T>(string sql)
    {
        using var connection = new NpgsqlConnection(Server.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return (T)command.ExecuteScalar()!;
    }

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        Logs.Dispose();
    }
}
