using Autofac;
using TagCache.Reliability.Tests.Support;

namespace TagCache.Reliability.Tests.Consistency;

[TestClass]
[DoNotParallelize]
public sealed class StaleReadCheckerTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(600_000, CooperativeCancellation = true)]
    public void Harness_MillionOperationsThroughInterceptor_ReportsNoStaleRead()
    {
        // 2 sync + 2 async readers x 225,000 reads and 2 writers x at least 50,000 writes: at least 1,000,000 operations.
        var workload = new Workload(Rows: 64, Pages: 32, SyncReaders: 2, AsyncReaders: 2, ReadsPerReader: 225_000, WritesPerWriter: 50_000, PagePercent: 25);

        var result = new StaleReadHarness(workload).Run();

        Report("real store", result);
        Assert.IsGreaterThanOrEqualTo(1_000_000L, result.Operations);
        Assert.IsGreaterThanOrEqualTo(result.Reads, result.Report.Observations, "every read must have been checked");
        Assert.IsGreaterThan(0L, result.ProductTargetRuns);
        Assert.IsGreaterThan(0L, result.PageTargetRuns);
        Assert.AreEqual(0L, result.Report.Stale, string.Join(Environment.NewLine, result.Report.Examples));
    }

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(600_000, CooperativeCancellation = true)]
    public void Harness_StoreStampingAtStoreTime_ReportsStaleReads()
    {
        // Few rows, so invalidations land inside the broken store's pause between computing and storing.
        var workload = new Workload(Rows: 4, Pages: 4, SyncReaders: 2, AsyncReaders: 2, ReadsPerReader: 1_000, WritesPerWriter: 200, PagePercent: 25);
        using var broken = new StampAtStoreTagCache(TimeSpan.FromMilliseconds(1));

        var result = new StaleReadHarness(workload, builder => builder.RegisterInstance(new SingleCacheProvider(broken)).As<ITagCacheProvider>()).Run();

        Report("broken store (stamps at store time)", result);
        Assert.IsGreaterThan(0L, result.Report.Stale, "the checker must catch the stale values the broken store serves");
    }

    private void Report(string label, HarnessResult result)
    {
        var text = $"Stale-read checker, {label}: {result}";
        Console.WriteLine(text);
        TestContext.WriteLine(text);
        foreach (var example in result.Report.Examples)
        {
            TestContext.WriteLine("  " + example);
        }
    }
}
