using BenchmarkDotNet.Running;
using TagCache.Benchmarks;
using TagCache.Benchmarks.Support;

// --quick: ShortRun job and no 1,000,000-entry invalidation; --memory-only / --skip-memory: the memory-per-entry table alone / not;
// --chaos: the chaos run alone (TagCache and FusionCache in front of a failing and a slow source);
// --backplane: TagCache on Redis against FusionCache with its Redis backplane (propagation, invalidations lost).
// Every other argument goes to BenchmarkDotNet (e.g. --filter '*Hit*'); without --filter everything runs.
string[] own = ["--quick", "--memory-only", "--skip-memory", "--chaos", "--backplane"];
// The wall-clock runs, each alone: its table printed and kept beside BenchmarkDotNet's results.
foreach (var (flag, file, run) in new (string, string, Func<string>)[]
{
    ("--backplane", "backplane.md", TagCache.Benchmarks.Backplane.BackplaneRun.Run),
    ("--chaos", "chaos.md", TagCache.Benchmarks.Chaos.ChaosRun.Run),
})
{
    if (args.Contains(flag))
    {
        Keep(file, run());
        return;
    }
}

RunMode.Quick = args.Contains("--quick");
var rest = args.Where(arg => !own.Contains(arg)).ToArray();
if (!rest.Contains("--filter"))
{
    rest = [.. rest, "--filter", "*"];
}

if (!args.Contains("--memory-only"))
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, BenchmarkConfig.Create(RunMode.Quick));
}

if (!args.Contains("--skip-memory"))
{
    Keep("memory-per-entry.md", MemoryPerEntry.Run());
}

static void Keep(string file, string table)
{
    Console.WriteLine(table);
    var results = Path.Combine("BenchmarkDotNet.Artifacts", "results");
    Directory.CreateDirectory(results);
    File.WriteAllText(Path.Combine(results, file), table);
}
