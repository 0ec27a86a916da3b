using System.Diagnostics;
using TagCache.Postgres.Tests.Support;

namespace TagCache.Postgres.Tests.Sharing;

/// <summary>Two nodes in separate OS processes: this test process, and a node process driven over its standard streams.</summary>
[TestClass]
[TestCategory("Server")]
public sealed class CrossProcessTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void InvalidateTags_BetweenTwoProcesses_SeenBothWaysWithLatencyReported()
    {
        using var cluster = new Cluster(SharedServer.Server, nodes: 1);
        using var other = NodeProcess.Start(cluster);
        var local = cluster.Nodes[0].GetCache("default");
        var toOther = new List<double>();
        const int warmUp = 10;
        for (var i = 0; i < warmUp + 500; i++)
        {
            var tag = "Cross_" + i;
            other.Send($"watch {tag}");
            other.Expect($"armed {tag}");
            var clock = Stopwatch.StartNew();
            local.InvalidateTags(tag);
            other.Expect($"seen {tag}");
            if (i >= warmUp)
            {
                toOther.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        // And back: the other process invalidates, this one sees it.
        local.Set("back", 1, new TagCacheEntryOptions { Tags = ["Back"] });
        other.Send("invalidate Back");
        other.Expect("done Back");
        Cluster.WaitUntil(() => !local.TryGet<int>("back", out _), TimeSpan.FromSeconds(10), "this process sees the other's invalidation");

        var report = Percentiles.Describe(toOther);
        TestContext.WriteLine($"two processes, 500 invalidations: {report}");
        Console.WriteLine($"[latency] cross-process: {report}");
        Assert.HasCount(500, toOther);
        Assert.AreEqual(0, cluster.Nodes[0].GetCurrentStatistics()!.MissesBypassed);
    }

    /// <summary>The node process of tests/TagCache.Postgres.TestNode, from its own build output.</summary>
    private sealed class NodeProcess : IDisposable
    {
        private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);
        private readonly Process _process;

        private NodeProcess(Process process) => _process = process;

        public static NodeProcess Start(Cluster cluster)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(NodeAssembly());
            start.ArgumentList.Add(cluster.Server.ConnectionString);
            start.ArgumentList.Add(cluster.Schema);
            var node = new NodeProcess(Process.Start(start) ?? throw new InvalidOperationException("The node process did not start."));
            node.Expect("ready");
            return node;
        }

        public void Send(string line) => _process.StandardInput.WriteLine(line);

        public void Expect(string expected)
        {
            var read = _process.StandardOutput.ReadLineAsync();
            if (!read.Wait(Guard))
            {
                throw new AssertFailedException($"The node process did not answer '{expected}' within {Guard}.");
            }

            Assert.AreEqual(expected, read.Result, "the node process's answer");
        }

        public void Dispose()
        {
            try
            {
                Send("quit");
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
            finally
            {
                _process.Dispose();
            }
        }

        private static string NodeAssembly()
        {
            // tests/TagCache.Postgres.Tests/bin/<Configuration>/<tfm>/ → tests/TagCache.Postgres.TestNode/bin/<Configuration>/<tfm>/
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var tfm = here.Name;
            var configuration = here.Parent!.Name;
            var tests = here.Parent.Parent!.Parent!.Parent!.FullName;
            var path = Path.Combine(tests, "TagCache.Postgres.TestNode", "bin", configuration, tfm, "TagCache.Postgres.TestNode.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the node process was not found.", path);
        }
    }
}
