using System.Globalization;

namespace TagCache.Reliability.Tests.Composition;

/// <summary>
/// The randomized composition test (docs/reliability.md, "Randomized composition"). A bounded run is part of every test
/// run; for a longer one set TAGCACHE_COMPOSITION_SECONDS, and to replay a run set TAGCACHE_COMPOSITION_SEED to the seed
/// it printed (and TAGCACHE_COMPOSITION_EPISODE to start at the episode a failure names):
/// <code>TAGCACHE_COMPOSITION_SECONDS=600 dotnet test tests/TagCache.Reliability.Tests -c Release --filter TestCategory=Composition</code>
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CompositionTests
{
    private const int DefaultSeconds = 25;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Composition")]
    [TestCategory("Stress")]
    public void RandomCallGraphs_UnderInvalidationCancellationDisposalFailuresAndTimeouts_NeverHangOrServeStaleOrWrongValues()
    {
        var seed = Environment.GetEnvironmentVariable("TAGCACHE_COMPOSITION_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var seconds = Environment.GetEnvironmentVariable("TAGCACHE_COMPOSITION_SECONDS") is { Length: > 0 } duration
            ? int.Parse(duration, CultureInfo.InvariantCulture)
            : DefaultSeconds;
        Report($"composition seed {seed} (replay: TAGCACHE_COMPOSITION_SEED={seed}), {seconds} s");

        // Nodes block pool threads (sync-over-async, Task.Run(...).GetResult()); without spare threads the pool's slow
        // growth would look like hangs on a 2-core machine.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), io);
        CompositionReport report;
        try
        {
            var firstEpisode = Environment.GetEnvironmentVariable("TAGCACHE_COMPOSITION_EPISODE") is { Length: > 0 } episode
                ? int.Parse(episode, CultureInfo.InvariantCulture)
                : 0;
            report = new CompositionRun(new CompositionSettings(seed, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(30)) { FirstEpisode = firstEpisode }).Run();
        }
        finally
        {
            ThreadPool.SetMinThreads(workers, io);
        }

        Report(report.ToString());
        foreach (var failure in report.Failures)
        {
            Report(failure);
        }

        Assert.IsEmpty(report.Failures, $"seed {seed}: {string.Join(Environment.NewLine, report.Failures)}");
        Assert.AreEqual(0L, report.Hangs);
        Assert.AreEqual(0L, report.StaleReads);
        Assert.AreEqual(0, report.ContainersAlive, "containers outlived their disposal");
        Assert.IsLessThan(64L * 1024 * 1024, report.HeapGrowthBytes, "memory grew across call graphs");
        Assert.IsGreaterThan(0L, report.Values, "the run served no values");
        Assert.IsGreaterThan(0L, report.Invalidations, "the run invalidated nothing");
        Assert.IsGreaterThan(0L, report.ResilientEpisodes, "no episode had resilience settings");
        Assert.IsGreaterThan(0L, report.FallbacksFailed + report.FallbacksTimedOut + report.FallbacksThrottled + report.Refreshes + report.Timeouts, "resilient episodes neither fell back, refreshed nor timed out");
    }

    private void Report(string line)
    {
        Console.WriteLine(line);
        TestContext.WriteLine(line);
    }
}
