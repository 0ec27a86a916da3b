using TagCache.Reliability.Tests.Support;

namespace TagCache.Reliability.Tests.Composition;

/// <summary>A row version a computation read.</summary>
public readonly record struct RowSeen(int Row, long Version);

/// <summary>
/// What a node computed: who computed it (so a value of another implementation is caught), the rows it read, what its
/// children returned, and the rows behind child failures it caught (a caught failure still depends on its data).
/// </summary>
public sealed record Reading(string Implementation, int Node, int Argument, int PrimaryRow, RowSeen[] Rows, Reading[] Children, RowSeen[] CaughtFailures);

/// <summary>A node's source failed for no reason in the data (a flaky node, now and then): fail-safe may answer for it.</summary>
public sealed class SourceFailure : Exception
{
    public SourceFailure()
        : base("The source failed.")
    {
    }

    public SourceFailure(string message)
        : base(message)
    {
    }

    public SourceFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A node read a row in its failing state (every seventh version): a failure that depends on the data.</summary>
public sealed class RowFailure : Exception
{
    public RowFailure()
    {
    }

    public RowFailure(string message)
        : base(message)
    {
    }

    public RowFailure(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RowFailure(string implementation, int node, RowSeen[] seen)
        : base($"{implementation} node {node} read a failing row")
    {
        Seen = seen;
    }

    public RowSeen[] Seen { get; } = [];
}

public interface IGraphNode
{
    [CacheWithTags("Node_{node}_{argument}", "Row_{result.PrimaryRow}")]
    Reading Sync(int node, int argument, CancellationToken cancellationToken);

    [CacheWithTags("Node_{node}_{argument}", "Row_{result.PrimaryRow}")]
    Task<Reading> Async(int node, int argument, CancellationToken cancellationToken);

    [CacheWithTags("Node_{node}_{argument}", "Row_{result.PrimaryRow}")]
    ValueTask<Reading> Value(int node, int argument, CancellationToken cancellationToken);
}

/// <summary>Finds the proxied service of an implementation; set once the container is built.</summary>
public sealed class NodeLookup
{
    private IReadOnlyDictionary<string, IGraphNode> _nodes = new Dictionary<string, IGraphNode>();

    public IGraphNode this[string implementation] => _nodes[implementation];

    public void Set(IReadOnlyDictionary<string, IGraphNode> nodes) => _nodes = nodes;
}

/// <summary>The first implementation type.</summary>
public sealed class AlphaNodes(GraphProgram program, VersionedDatabase database, NodeLookup nodes) : IGraphNode
{
    private readonly NodeRunner _runner = new("alpha", program, database, nodes);

    public Reading Sync(int node, int argument, CancellationToken cancellationToken) => _runner.RunSync(node, argument, cancellationToken);

    public Task<Reading> Async(int node, int argument, CancellationToken cancellationToken) => _runner.RunAsync(node, argument, cancellationToken);

    public async ValueTask<Reading> Value(int node, int argument, CancellationToken cancellationToken) =>
        await _runner.RunAsync(node, argument, cancellationToken).ConfigureAwait(false);
}

/// <summary>The second implementation type, registered twice under different names: "beta" and "gamma".</summary>
public sealed class BetaNodes(string name, GraphProgram program, VersionedDatabase database, NodeLookup nodes) : IGraphNode
{
    private readonly NodeRunner _runner = new(name, program, database, nodes);

    public Reading Sync(int node, int argument, CancellationToken cancellationToken) => _runner.RunSync(node, argument, cancellationToken);

    public Task<Reading> Async(int node, int argument, CancellationToken cancellationToken) => _runner.RunAsync(node, argument, cancellationToken);

    public async ValueTask<Reading> Value(int node, int argument, CancellationToken cancellationToken) =>
        await _runner.RunAsync(node, argument, cancellationToken).ConfigureAwait(false);
}

/// <summary>Interprets a <see cref="NodeProgram"/>: the body every implementation runs for a node.</summary>
public sealed class NodeRunner(string name, GraphProgram program, VersionedDatabase database, NodeLookup nodes)
{
    public static bool IsFailing(long version) => version % 7 == 6;

    public Reading RunSync(int node, int argument, CancellationToken token)
    {
        var p = program.Nodes[node];
        Jitter.Pause();
        var rows = ReadRows(p);
        FailNowAndThen(p);
        if (p.SlowMilliseconds > 0)
        {
            // A slow source: past the soft and hard timeouts of resilient episodes.
            (p.HonoursToken ? token : CancellationToken.None).WaitHandle.WaitOne(p.SlowMilliseconds);
        }

        if (p.HonoursToken)
        {
            token.ThrowIfCancellationRequested();
        }

        var children = new List<Reading>();
        var caught = new List<RowSeen>();
        switch (p.Combine)
        {
            case Combine.WhenAll:
                var all = Task.WhenAll(p.Children.Select(c => Task.Run(() => Guarded(p, () => CallAsync(c, argument, token), caught))));
                children.AddRange(all.GetAwaiter().GetResult().OfType<Reading>());
                break;
            case Combine.TaskRun:
                foreach (var child in p.Children)
                {
                    var run = Task.Run(() => Guarded(p, () => CallAsync(child, argument, token), caught));
                    children.AddRange(run.GetAwaiter().GetResult() is { } reading ? [reading] : []);
                }

                break;
            default:
                foreach (var child in p.Children)
                {
                    // An async child is waited for synchronously: sync-over-async.
                    var reading = Guarded(p, () => Task.FromResult(CallSync(child, argument, token)), caught).GetAwaiter().GetResult();
                    children.AddRange(reading is null ? [] : [reading]);
                }

                break;
        }

        Jitter.Pause();
        return Finish(p, argument, rows, children, caught);
    }

    public async Task<Reading> RunAsync(int node, int argument, CancellationToken token)
    {
        var p = program.Nodes[node];
        await Jitter.PauseAsync().ConfigureAwait(false);
        var rows = ReadRows(p);
        FailNowAndThen(p);
        if (p.HonoursToken)
        {
            await Task.Delay(p.SlowMilliseconds + (Random.Shared.Next(2) == 0 ? 0 : 1), token).ConfigureAwait(false);
        }
        else if (p.SlowMilliseconds > 0)
        {
            await Task.Delay(p.SlowMilliseconds, CancellationToken.None).ConfigureAwait(false);
        }

        var children = new List<Reading>();
        var caught = new List<RowSeen>();
        switch (p.Combine)
        {
            case Combine.WhenAll:
                // Siblings run at once: this computation waits on several flights together.
                var all = await Task.WhenAll(p.Children.Select(c => Guarded(p, () => CallAsync(c, argument, token), caught))).ConfigureAwait(false);
                children.AddRange(all.OfType<Reading>());
                break;
            case Combine.TaskRun:
                foreach (var child in p.Children)
                {
                    var reading = await Task.Run(() => Guarded(p, () => CallAsync(child, argument, token), caught)).ConfigureAwait(false);
                    children.AddRange(reading is null ? [] : [reading]);
                }

                break;
            default:
                foreach (var child in p.Children)
                {
                    var reading = await Guarded(p, () => CallAsync(child, argument, token), caught).ConfigureAwait(false);
                    children.AddRange(reading is null ? [] : [reading]);
                }

                break;
        }

        await Jitter.PauseAsync().ConfigureAwait(false);
        return Finish(p, argument, rows, children, caught);
    }

    /// <summary>Calls a child on its implementation's proxy, through the child's own shape.</summary>
    public static Task<Reading> Call(IGraphNode service, Shape shape, int node, int argument, CancellationToken token) => shape switch
    {
        Shape.Sync => Task.FromResult(service.Sync(node, argument, token)),
        Shape.Task => service.Async(node, argument, token),
        _ => service.Value(node, argument, token).AsTask(),
    };

    private Task<Reading> CallAsync(ChildCall child, int argument, CancellationToken token) =>
        Call(nodes[child.Implementation], program.Nodes[child.Node].Shape, child.Node, argument, token);

    private Reading CallSync(ChildCall child, int argument, CancellationToken token) =>
        CallAsync(child, argument, token).GetAwaiter().GetResult();

    private static async Task<Reading?> Guarded(NodeProgram p, Func<Task<Reading>> call, List<RowSeen> caught)
    {
        if (!p.CatchesFailures)
        {
            return await call().ConfigureAwait(false);
        }

        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RowFailure failure)
        {
            lock (caught)
            {
                caught.AddRange(failure.Seen);
            }

            return null;
        }
    }

    private void FailNowAndThen(NodeProgram p)
    {
        if (p.Flaky && Random.Shared.Next(3) == 0)
        {
            throw new SourceFailure($"{name} node {p.Node}: the source failed");
        }
    }

    private RowSeen[] ReadRows(NodeProgram p)
    {
        var rows = new RowSeen[p.Rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = database.Read(p.Rows[i]);
            rows[i] = new RowSeen(row.Id, row.Version);
            if (i > 0)
            {
                // The first row is tagged through the result ({result.PrimaryRow}); the others declare themselves.
                CacheTags.Append(CacheTags.Format($"Row_{row.Id}"));
            }

            Jitter.Pause();
        }

        if (rows.Any(r => IsFailing(r.Version)))
        {
            // No result will carry {result.PrimaryRow}: the failure declares the first row's tag itself, so whoever catches
            // it depends on that row.
            CacheTags.Append(CacheTags.Format($"Row_{rows[0].Row}"));
            throw new RowFailure(name, p.Node, rows);
        }

        return rows;
    }

    private Reading Finish(NodeProgram p, int argument, RowSeen[] rows, List<Reading> children, List<RowSeen> caught)
    {
        lock (caught)
        {
            return new Reading(name, p.Node, argument, rows[0].Row, rows, [.. children], [.. caught]);
        }
    }
}
