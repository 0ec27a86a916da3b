using System.Collections.Concurrent;
using System.Diagnostics;
using Autofac;
using TagCache.SecondLevel;
using TagCache.Sharing;

namespace TagCache.Testing.Contract;

/// <summary>One row's version as a read returned it.</summary>
public sealed record RowValue(int Id, long Version);

/// <summary>Two rows read by one cached call through two nested cached calls.</summary>
public sealed record PairValue(RowValue First, RowValue Second);

/// <summary>The service the stale-read checker reads and writes on every node.</summary>
public interface IRows
{
    [CacheWithTags("Row_{id}")]
    RowValue Get(int id);

    /// <summary>Tagged only through the nested calls' tags, which propagate to it.</summary>
    [CacheWithTags("Pair")]
    PairValue GetPair(int first, int second);

    /// <summary>Its row's tag is appended while it computes, after the read.</summary>
    [CacheWithTags("Late", Key = "late:{id}")]
    RowValue GetLate(int id);

    [InvalidateTags("Row_{id}")]
    void Write(int id);
}

/// <summary>
/// The database every node shares: a version per row, and when each version's invalidation returned to its writer, so a
/// read can be judged against the history.
/// </summary>
public sealed class SharedRows
{
    private readonly ConcurrentDictionary<int, long> _versions = new();
    private readonly ConcurrentDictionary<(int Row, long Version), long> _invalidatedAt = new();

    public RowValue Read(int id) => new(id, _versions.GetValueOrDefault(id));

    public long Write(int id) => _versions.AddOrUpdate(id, 1, static (_, v) => v + 1);

    /// <summary>Records that the invalidation of <paramref name="version"/> returned to its writer at <paramref name="timestamp"/>.</summary>
    public void Invalidated(int id, long version, long timestamp) => _invalidatedAt[(id, version)] = timestamp;

    /// <summary>
    /// How long before <paramref name="startedAt"/> a newer version than the one read had had its invalidation return;
    /// null when the value was current for a read that started then.
    /// </summary>
    public TimeSpan? StalenessOf(RowValue read, long startedAt)
    {
        long? earliest = null;
        foreach (var ((row, version), at) in _invalidatedAt)
        {
            if (row == read.Id && version > read.Version && at < startedAt && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest is { } e ? Stopwatch.GetElapsedTime(e, startedAt) : null;
    }
}

/// <summary>The rows service; its nested calls go through the proxy, so they are cached and their tags propagate.</summary>
internal sealed class RowsService(SharedRows rows, Lazy<IRows> self) : IRows
{
    [ThreadStatic]
    private static long _lastWritten;

    public static long LastWritten => _lastWritten;

    public RowValue Get(int id) => rows.Read(id);

    public PairValue GetPair(int first, int second) => new(self.Value.Get(first), self.Value.Get(second));

    public RowValue GetLate(int id)
    {
        var value = rows.Read(id);
        CacheTags.Append($"Row_{id}");
        return value;
    }

    public void Write(int id) => _lastWritten = rows.Write(id);
}

/// <summary>A node with the rows service, in an Autofac container with TagCache sharing through the cluster's engine.</summary>
internal sealed class RowsNode : IDisposable
{
    private readonly IContainer _container;

    /// <param name="cluster">The cluster the node joins.</param>
    /// <param name="rows">The rows every node shares.</param>
    /// <param name="log">Wraps the node's log (to blind it); the real log when null.</param>
    /// <param name="secondLevel">Wraps the engine's second level (to make it lag); no second level when null.</param>
    public RowsNode(EngineCluster cluster, SharedRows rows, Func<IInvalidationLog, IInvalidationLog>? log = null, Func<ISecondLevelStore, ISecondLevelStore>? secondLevel = null)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            cluster.Share(o, log, secondLevel);
        });
        builder.RegisterInstance(rows);
        builder.RegisterType<RowsService>().As<IRows>().SingleInstance().EnableTagCaching();
        _container = builder.Build();
        Provider = _container.Resolve<TagCacheProvider>();
        Rows = _container.Resolve<IRows>();
    }

    public TagCacheProvider Provider { get; }

    public IRows Rows { get; }

    public void Dispose() => _container.Dispose();
}
