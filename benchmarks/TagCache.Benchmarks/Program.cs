using BenchmarkDotNet.Running;
using TagCache.Benchmarks;
using TagCache.Benchmarks.Support;

// --quick: ShortRun job and no 1,000,000-entry invalidation; --memory-only / --skip-memory: the memory-per-entry table alone / not;
// --chaos: the chaos run alone (TagCache and FusionCache in front of a failing and a slow source);
// --backplane: TagCache on Redis against FusionCache with its Redis backplane (propagation, invalidations lost).
// Every other argument goes to BenchmarkDotNet (e.g. --filter '*Hit*'); without --filter everything runs.
string[] own = ["--quick", "--memory-only", "--skip-memory", "--chaos", "--backplane"];
if (args.Contains("--backplane"))
{
    var backplane = TagCache.Benchmarks.Backplane.BackplaneRun.Run();
    Console.WriteLine(backplane);
    var backplaneResults = Path.Combine("BenchmarkDotNet.Artifacts", "results");
    Directory.CreateDirectory(backplaneResults);
    File.WriteAllText(Path.Combine(backplaneResults, "backplane.md"), backplane);
    return;
}

if (args.Contains("--chaos"))
{
    var chaos = TagCache.Benchmarks.Chaos.ChaosRun.Run();
    Console.WriteLine(chaos);
    var chaosResults = Path.Combine("BenchmarkDotNet.Artifacts", "results");
    Directory.CreateDirectory(chaosResults);
    File.WriteAllText(Path.Combine(chaosResults, "chaos.md"), chaos);
    return;
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
    var table = MemoryPerEntry.Run();
    Console.WriteLine(table);
    var results = Path.Combine("BenchmarkDotNet.Artifacts", "results");
    Directory.CreateDirectory(results);
    File.WriteAllText(Path.Combine(results, "memory-per-entry.md"), table);
}
