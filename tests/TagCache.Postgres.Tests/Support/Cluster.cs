using System.Diagnostics;
using Npgsql;
using TagCache.Postgres.Sharing;
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
    public TagCacheProvider AddNode(Action<PostgresTagCacheOptions>? configure = null, Action<TagCacheOptions>? options = null)
    {
        var node = TagCacheFactory.Create(
            o =>
            {
                o.TrackStatistics = true;
                options?.Invoke(o);
                o.UsePostgres(Server.ConnectionString, pg => Apply(pg, configure));
            },
            loggerFactory: Logs.Factory);
        _nodes.Add(node);
        if (!NodeOf(node).Ready.Wait(ReadyGuard))
        {
            throw new TimeoutException($"The node did not catch up with the log within {ReadyGuard}.");
        }

        return node;
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

    public static PostgresNode NodeOf(TagCacheProvider provider) => ((SharedTagVersionStore)Store(provider).Versions).Node;

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
