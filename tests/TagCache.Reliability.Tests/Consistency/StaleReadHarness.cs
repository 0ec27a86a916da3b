using System.Diagnostics;
using Autofac;
using TagCache.Interception;
using TagCache.Reliability.Tests.Support;

namespace TagCache.Reliability.Tests.Consistency;

/// <summary>How much work one run of the harness does. Each of the two writers (one sync, one async) writes at least
/// <paramref name="WritesPerWriter"/> times and goes on until every reader is done, so writes overlap all the reads.</summary>
public sealed record Workload(int Rows, int Pages, int SyncReaders, int AsyncReaders, int ReadsPerReader, int WritesPerWriter, int PagePercent)
{
    public int Readers => SyncReaders + AsyncReaders;
}

/// <summary>The figures of one run.</summary>
public sealed record HarnessResult(long Operations, long Reads, long Writes, long ProductTargetRuns, long PageTargetRuns, StaleReport Report, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"operations {Operations:N0} (reads {Reads:N0}, writes+invalidations {Writes:N0}); row versions checked {Report.Observations:N0}; " +
        $"stale reads {Report.Stale:N0}; target runs: products {ProductTargetRuns:N0}, pages {PageTargetRuns:N0}; elapsed {Elapsed.TotalSeconds:F1} s";
}

/// <summary>
/// Readers call cached GetProduct/GetPage (sync on dedicated threads, async as tasks) through Autofac proxies while
/// writers update rows and then call an [InvalidateTags] method. Every read is checked against the history afterwards.
/// </summary>
public sealed class StaleReadHarness
{
    private readonly Workload _workload;
    private readonly Action<ContainerBuilder>? _configure;
    private long _clock;
    private int _readersLeft;

    /// <param name="workload">How much to do.</param>
    /// <param name="configure">Runs after AddTagCache, e.g. to replace the cache provider.</param>
    public StaleReadHarness(Workload workload, Action<ContainerBuilder>? configure = null)
    {
        _workload = workload;
        _configure = configure;
    }

    public HarnessResult Run()
    {
        var database = new VersionedDatabase(_workload.Rows);
        var counters = new TargetCounters();
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        _configure?.Invoke(builder);
        builder.RegisterInstance(database);
        builder.RegisterInstance(counters);
        builder.RegisterType<ProductReads>().As<IProductReads>().SingleInstance().EnableTagCaching();
        builder.RegisterType<PageReads>().As<IPageReads>().SingleInstance().EnableTagCaching();
        builder.RegisterType<ProductWrites>().As<IProductWrites>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();
        var products = container.Resolve<IProductReads>();
        var pages = container.Resolve<IPageReads>();
        var writes = container.Resolve<IProductWrites>();

        var reads = new List<List<Observation>>();
        var invalidations = new List<List<Invalidation>>();
        var workers = new List<Task>();
        _readersLeft = _workload.Readers;
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < _workload.SyncReaders; i++)
        {
            var log = new List<Observation>(_workload.ReadsPerReader * 2);
            reads.Add(log);
            workers.Add(Task.Factory.StartNew(() => ReadSync(products, pages, log), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        for (var i = 0; i < _workload.AsyncReaders; i++)
        {
            var log = new List<Observation>(_workload.ReadsPerReader * 2);
            reads.Add(log);
            workers.Add(Task.Run(() => ReadAsync(products, pages, log)));
        }

        var syncWrites = new List<Invalidation>(_workload.WritesPerWriter);
        var asyncWrites = new List<Invalidation>(_workload.WritesPerWriter);
        invalidations.Add(syncWrites);
        invalidations.Add(asyncWrites);
        workers.Add(Task.Factory.StartNew(() => WriteSync(database, writes, syncWrites), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        workers.Add(Task.Run(() => WriteAsync(database, writes, asyncWrites)));

        // A deadlock guard only: a healthy run takes seconds.
        if (!Task.WaitAll([.. workers], TimeSpan.FromMinutes(5)))
        {
            throw new TimeoutException("The stale-read harness did not finish within 5 minutes; a caller is probably deadlocked.");
        }

        stopwatch.Stop();
        var report = History.Check(_workload.Rows, reads, invalidations);
        var readCount = (long)_workload.Readers * _workload.ReadsPerReader;
        var writeCount = (long)invalidations.Sum(log => log.Count);
        return new HarnessResult(readCount + writeCount, readCount, writeCount, counters.Products, counters.Pages, report, stopwatch.Elapsed);
    }

    private long Now() => Interlocked.Increment(ref _clock);

    private bool NextIsPage() => Random.Shared.Next(100) < _workload.PagePercent;

    private bool KeepWriting(int done) => done < _workload.WritesPerWriter || Volatile.Read(ref _readersLeft) > 0;

    private void ReaderDone() => Interlocked.Decrement(ref _readersLeft);

    private void ReadSync(IProductReads products, IPageReads pages, List<Observation> log)
    {
        for (var i = 0; i < _workload.ReadsPerReader; i++)
        {
            if (NextIsPage())
            {
                var started = Now();
                RecordPage(pages.GetPage(Random.Shared.Next(_workload.Pages)), started, log);
            }
            else
            {
                var started = Now();
                var row = products.GetProduct(Random.Shared.Next(_workload.Rows));
                log.Add(new Observation(started, row.Id, row.Version));
            }
        }

        ReaderDone();
    }

    private async Task ReadAsync(IProductReads products, IPageReads pages, List<Observation> log)
    {
        for (var i = 0; i < _workload.ReadsPerReader; i++)
        {
            if (NextIsPage())
            {
                var started = Now();
                RecordPage(await pages.GetPageAsync(Random.Shared.Next(_workload.Pages)).ConfigureAwait(false), started, log);
            }
            else
            {
                var started = Now();
                var row = await products.GetProductAsync(Random.Shared.Next(_workload.Rows)).ConfigureAwait(false);
                log.Add(new Observation(started, row.Id, row.Version));
            }
        }

        ReaderDone();
    }

    private static void RecordPage(Page page, long started, List<Observation> log)
    {
        log.Add(new Observation(started, page.Nested.Id, page.Nested.Version));
        log.Add(new Observation(started, page.Appended.Id, page.Appended.Version));
        log.Add(new Observation(started, page.Featured.Id, page.Featured.Version));
    }

    private void WriteSync(VersionedDatabase database, IProductWrites writes, List<Invalidation> log)
    {
        for (var i = 0; KeepWriting(i); i++)
        {
            // Paced, so reads get to hit between writes instead of all missing.
            Thread.SpinWait(Random.Shared.Next(100, 2_000));
            var row = Random.Shared.Next(_workload.Rows);
            var version = database.Write(row);
            Jitter.Pause();
            writes.Invalidate(row);
            log.Add(new Invalidation(Now(), row, version));
        }
    }

    private async Task WriteAsync(VersionedDatabase database, IProductWrites writes, List<Invalidation> log)
    {
        for (var i = 0; KeepWriting(i); i++)
        {
            Thread.SpinWait(Random.Shared.Next(100, 2_000));
            var row = Random.Shared.Next(_workload.Rows);
            var version = database.Write(row);
            await Jitter.PauseAsync().ConfigureAwait(false);
            await writes.InvalidateAsync(row).ConfigureAwait(false);
            log.Add(new Invalidation(Now(), row, version));
        }
    }
}
