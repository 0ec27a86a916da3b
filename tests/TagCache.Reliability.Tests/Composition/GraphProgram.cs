using System.Text;

namespace TagCache.Reliability.Tests.Composition;

/// <summary>How a node is called: which method of <see cref="IGraphNode"/>, hence which return shape.</summary>
public enum Shape
{
    Sync,
    Task,
    ValueTask,
}

/// <summary>How a node calls its children.</summary>
public enum Combine
{
    /// <summary>One after the other: awaited by async nodes; sync nodes block on async children (sync-over-async).</summary>
    Sequential,

    /// <summary>All at once: Task.WhenAll, so one computation waits on sibling flights together.</summary>
    WhenAll,

    /// <summary>Each on the thread pool: Task.Run, awaited, or blocked on with GetAwaiter().GetResult() by sync nodes.</summary>
    TaskRun,
}

/// <summary>A call of another node, on one implementation; the argument is passed down unchanged.</summary>
public sealed record ChildCall(string Implementation, int Node);

/// <summary>What one node does when computed: read rows, maybe fail (depending on the data), call children.</summary>
/// <param name="Node">Its index.</param>
/// <param name="Level">Its depth in the graph: children are one level down, except for back edges.</param>
/// <param name="Shape">The method it is called through.</param>
/// <param name="Rows">The rows it reads itself; the first is tagged through the result, the others with CacheTags.Append.</param>
/// <param name="Children">The nodes it calls.</param>
/// <param name="Combine">How it calls them.</param>
/// <param name="CatchesFailures">Whether a child's (data-dependent) failure is caught and recorded instead of propagated.</param>
/// <param name="HonoursToken">Whether it stops when its token is cancelled.</param>
/// <param name="SlowMilliseconds">How long it takes besides its children: 0 for most nodes, longer than the episode's timeouts for some.</param>
/// <param name="Flaky">Whether its source fails now and then whatever the data (a <see cref="SourceFailure"/>), so fail-safe has expired values to answer with.</param>
public sealed record NodeProgram(int Node, int Level, Shape Shape, int[] Rows, ChildCall[] Children, Combine Combine, bool CatchesFailures, bool HonoursToken, int SlowMilliseconds = 0, bool Flaky = false);

/// <summary>
/// A random call graph of cached services, generated from a seed: nodes on four levels (depth ≤ 3), each served by
/// every implementation, calling nodes of the next level on chosen implementations, with now and then a back edge
/// that closes a cycle. Everything a run does is decided here or by the seed of each worker, so a seed replays it.
/// </summary>
public sealed class GraphProgram
{
    public const int Levels = 4;

    /// <summary>Implementations: two types, the second registered twice with different settings (a second key).</summary>
    public static readonly string[] Implementations = ["alpha", "beta", "gamma"];

    private readonly Dictionary<(string, int), bool> _reachesCycle = [];

    private GraphProgram(int seed, int rows, int arguments, NodeProgram[] nodes)
    {
        Seed = seed;
        Rows = rows;
        Arguments = arguments;
        Nodes = nodes;
    }

    public int Seed { get; }

    public int Rows { get; }

    public int Arguments { get; }

    public IReadOnlyList<NodeProgram> Nodes { get; }

    public static GraphProgram Generate(int seed)
    {
        var random = new Random(seed);
        var rows = random.Next(4, 10);
        var perLevel = Enumerable.Range(0, Levels).Select(_ => random.Next(2, 4)).ToArray();
        var levelOf = perLevel.SelectMany((count, level) => Enumerable.Repeat(level, count)).ToArray();
        var nodes = new NodeProgram[levelOf.Length];
        var backEdges = random.Next(3) == 0 ? 1 : 0;
        for (var n = 0; n < nodes.Length; n++)
        {
            var level = levelOf[n];
            var below = Enumerable.Range(0, nodes.Length).Where(m => levelOf[m] == level + 1).ToArray();
            var children = new List<ChildCall>();
            for (var c = below.Length == 0 ? 0 : random.Next(0, 4); c > 0; c--)
            {
                children.Add(new ChildCall(Implementations[random.Next(Implementations.Length)], below[random.Next(below.Length)]));
            }

            if (backEdges > 0 && level >= 2 && random.Next(3) == 0)
            {
                // A call back up the graph: a cycle wherever it meets the same implementation and node again.
                var above = Enumerable.Range(0, nodes.Length).Where(m => levelOf[m] < level).ToArray();
                children.Add(new ChildCall(Implementations[random.Next(Implementations.Length)], above[random.Next(above.Length)]));
                backEdges--;
            }

            nodes[n] = new NodeProgram(
                n,
                level,
                (Shape)random.Next(3),
                [.. Enumerable.Range(0, random.Next(1, 3)).Select(_ => random.Next(rows)).Distinct()],
                [.. children],
                (Combine)random.Next(3),
                CatchesFailures: random.Next(2) == 0,
                HonoursToken: random.Next(3) > 0,
                SlowMilliseconds: random.Next(5) == 0 ? random.Next(5, 40) : 0,
                Flaky: random.Next(4) == 0);
        }

        return new GraphProgram(seed, rows, arguments: random.Next(1, 4), nodes);
    }

    /// <summary>Gets a value indicating whether computing the node can meet itself again: only then is a cycle error correct.</summary>
    public bool ReachesCycle(string implementation, int node)
    {
        lock (_reachesCycle)
        {
            return ReachesCycle((implementation, node), []);
        }
    }

    /// <summary>The call graph below a node, for the report of a hang or an unexpected outcome.</summary>
    public string Describe(string implementation, int node)
    {
        var text = new StringBuilder();
        Describe(text, implementation, node, depth: 0, []);
        return text.ToString();
    }

    private bool ReachesCycle((string Implementation, int Node) vertex, HashSet<(string, int)> path)
    {
        if (_reachesCycle.TryGetValue(vertex, out var known))
        {
            return known;
        }

        if (!path.Add(vertex))
        {
            return true;
        }

        var result = Nodes[vertex.Node].Children.Any(c => ReachesCycle((c.Implementation, c.Node), path));
        path.Remove(vertex);
        _reachesCycle[vertex] = result;
        return result;
    }

    private void Describe(StringBuilder text, string implementation, int node, int depth, HashSet<(string, int)> path)
    {
        var program = Nodes[node];
        text.Append(' ', depth * 2)
            .Append($"{implementation}.{program.Shape}(node {node}, level {program.Level}) rows [{string.Join(",", program.Rows)}] ")
            .Append($"{program.Combine}{(program.CatchesFailures ? " catching" : string.Empty)}{(program.HonoursToken ? " honouring token" : string.Empty)}")
            .Append(program.SlowMilliseconds > 0 ? $" slow {program.SlowMilliseconds} ms" : string.Empty)
            .Append(program.Flaky ? " flaky" : string.Empty);
        if (!path.Add((implementation, node)))
        {
            text.AppendLine(" <- cycle");
            return;
        }

        text.AppendLine();
        foreach (var child in program.Children)
        {
            Describe(text, child.Implementation, child.Node, depth + 1, path);
        }

        path.Remove((implementation, node));
    }
}
