using System.Diagnostics;
using TagCache.SecondLevel;
using TagCache.Sharing;

namespace TagCache.Testing.Contract;

/// <summary>
/// An engine that shares tag versions (and values) between nodes, as the contract tests drive it: PostgreSQL and Redis each
/// supply one, and every scenario of <see cref="SharedVersionsContract"/> runs on both.
/// </summary>
public abstract class SharingEngine
{
    /// <summary>Gets the engine's name, for reports.</summary>
    public abstract string Name { get; }

    /// <summary>A space no other test uses (a schema, a key prefix).</summary>
    public abstract string NewSpace();

    /// <summary>
    /// Shares <paramref name="options"/>' versions through the engine in <paramref name="space"/>, polling fast so tests run
    /// in seconds; the node's log wrapped by <paramref name="log"/>, and a second level (the engine's store, wrapped by
    /// <paramref name="secondLevel"/>) when that is given.
    /// </summary>
    internal abstract void Share(TagCacheOptions options, string space, TimeSpan maxStaleness, Func<IInvalidationLog, IInvalidationLog>? log, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel);

    /// <summary>Destroys the space's log as an operator or an accident would (drop the schema, flush the server).</summary>
    public abstract void LoseTheLog(string space);
}

/// <summary>Nodes in this process sharing one space of one engine; each a provider with its own connections.</summary>
public sealed class EngineCluster : IDisposable
{
    private static readonly TimeSpan ReadyGuard = TimeSpan.FromSeconds(30);

    private readonly List<TagCacheProvider> _nodes = [];

    public EngineCluster(SharingEngine engine, TimeSpan? maxStaleness = null)
    {
        Engine = engine;
        Space = engine.NewSpace();
        MaxStaleness = maxStaleness ?? TimeSpan.FromSeconds(1);
    }

    public SharingEngine Engine { get; }

    public string Space { get; }

    public TimeSpan MaxStaleness { get; }

    public IReadOnlyList<TagCacheProvider> Nodes => _nodes;

    public LogCapture Logs { get; } = new();

    /// <summary>Adds a node and waits for its first catch-up, after which it serves hits.</summary>
    internal TagCacheProvider AddNode(Action<TagCacheOptions>? options = null, Func<IInvalidationLog, IInvalidationLog>? log = null, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel = null)
    {
        var node = TagCacheFactory.Create(
            o =>
            {
                o.TrackStatistics = true;
                options?.Invoke(o);
                Share(o, log, secondLevel);
            },
            loggerFactory: Logs.Factory);
        _nodes.Add(node);
        WaitUntilReady(node);
        return node;
    }

    /// <summary>Shares the options' versions through this cluster's space.</summary>
    internal void Share(TagCacheOptions options, Func<IInvalidationLog, IInvalidationLog>? log = null, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel = null) =>
        Engine.Share(options, Space, MaxStaleness, log, secondLevel);

    internal static SharedVersionNode NodeOf(TagCacheProvider provider) => ((SharedTagVersionStore)provider.GetStore(TagCacheOptions.DefaultCacheName).Versions).Node;

    internal static void WaitUntilReady(TagCacheProvider provider)
    {
        if (!NodeOf(provider).Ready.Wait(ReadyGuard))
        {
            throw new TimeoutException($"The node did not catch up with the log within {ReadyGuard}.");
        }
    }

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

            Thread.Sleep(1);
        }

        return clock.Elapsed;
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
