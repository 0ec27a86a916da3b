using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace TagCache.Benchmarks.Support;

/// <summary>
/// One job for the whole run, in-process: no per-benchmark project generation (a run needs no network and takes minutes,
/// not tens of minutes, on two cores), and the custom column can read what the benchmarks recorded. Classes with a
/// per-iteration setup pin their own iteration counts.
/// </summary>
public static class BenchmarkConfig
{
    public static IConfig Create(bool quick)
    {
        var toolchain = new InProcessEmitToolchain(TimeSpan.FromMinutes(30), logOutput: true);
        var job = (quick ? Job.ShortRun : Job.Default).WithToolchain(toolchain);
        return DefaultConfig.Instance.AddJob(job);
    }
}
