using System.Collections.Concurrent;
using System.Diagnostics;
using Autofac;
using Microsoft.Extensions.DependencyInjection;
using TagCache.Interception;
using TagCache.Reliability.Tests.Consistency;
using TagCache.Reliability.Tests.Support;
using TagCache.Stores;

namespace TagCache.Reliability.Tests.Composition;

/// <summary>How long and how hard a composition run works.</summary>
/// <param name="Seed">Decides every call graph and every worker's choices.</param>
/// <param name="Duration">How long to keep starting episodes.</param>
/// <param name="CallDeadline">A top-level call that takes longer is a hang.</param>
internal sealed record CompositionSettings(int Seed, TimeSpan Duration, TimeSpan CallDeadline)
{
    public int SyncReaders { get; init; } = 3;

    public int AsyncReaders { get; init; } = 3;

    public int Writers { get; init; } = 2;

    /// <summary>Gets the first episode to run: replays a late episode of a seed without running the ones before it.</summary>
    public int FirstEpisode { get; init; }
}

/// <summary>The figures of a run, and everything that went wrong, each with what is needed to understand it.</summary>
internal sealed class CompositionReport
{
    private readonly ConcurrentQueue<string> _failures = new();

    public int Seed { get; init; }

    // Counters updated with Interlocked by the workers.
    internal long Calls;
    internal long Values;
    internal long InjectedFailures;
    internal long CycleErrors;
    internal long Cancellations;
    internal long Disposals;
    internal long Invalidations;
    internal long Episodes;
    internal long DisposedMidRun;
    internal long Hangs;
    internal long StaleReads;
    internal long RowVersionsChecked;
    internal long MaxCallTicks;
    internal long HeapGrowthBytes;
    internal int ContainersAlive;
    internal long ResilientEpisodes;
    internal long Timeouts;
    internal long SourceFailures;
    internal long FallbacksFailed;
    internal long FallbacksTimedOut;
    internal long FallbacksThrottled;
    internal long Refreshes;
    internal long Hedges;

    public IReadOnlyCollection<string> Failures => _failures;

    public void Fail(string failure)
    {
        if (_failures.Count < 20)
        {
            _failures.Enqueue(failure);
        }
    }

    public void NoteLatency(long ticks)
    {
        var observed = Volatile.Read(ref MaxCallTicks);
        while (ticks > observed && Interlocked.CompareExchange(ref MaxCallTicks, ticks, observed) != observed)
        {
            observed = Volatile.Read(ref MaxCallTicks);
        }
    }

    public override string ToString() =>
        $"seed {Seed}: {Episodes:N0} call graphs (episodes, {DisposedMidRun:N0} with the container disposed mid-run), {Calls:N0} calls " +
        $"({Values:N0} values, {InjectedFailures:N0} data failures, {CycleErrors:N0} cycle errors, {Cancellations:N0} cancellations, " +
        $"{Disposals:N0} ended by disposal, {SourceFailures:N0} source failures, {Timeouts:N0} hard timeouts), {Invalidations:N0} invalidations, " +
        $"{ResilientEpisodes:N0} episodes with resilience: fallbacks {FallbacksFailed:N0} failed / {FallbacksTimedOut:N0} timed out / {FallbacksThrottled:N0} throttled, {Refreshes:N0} refreshes, {Hedges:N0} hedges; " +
        $"max call latency {TimeSpan.FromTicks(MaxCallTicks).TotalMilliseconds:F0} ms, " +
        $"hangs {Hangs}, stale {StaleReads} of {RowVersionsChecked:N0} row versions checked, heap growth {HeapGrowthBytes / 1024.0 / 1024.0:F1} MiB, " +
        $"containers alive after GC {ContainersAlive}, failures {Failures.Count}";
}

/// <summary>
/// Random call graphs of cached services (<see cref="GraphProgram"/>) run by sync and async readers, while writers change
/// rows and invalidate their tags in every way TagCache offers, and containers (Autofac and Microsoft DI in turn) are
/// built, used and sometimes disposed mid-run. Every call must end within the deadline, with a value that is fresh and
/// comes from the implementation asked, or with an exception that its call graph and its caller allow.
/// </summary>
internal sealed class CompositionRun(CompositionSettings settings)
{
    private readonly CompositionReport _report = new() { Seed = settings.Seed };
    private long _clock;

    public CompositionReport Run()
    {
        var stopwatch = Stopwatch.StartNew();
        var containers = new List<WeakReference>();
        long? baseline = null;
        for (var episode = settings.FirstEpisode; stopwatch.Elapsed < settings.Duration && _report.Failures.Count == 0; episode++)
        {
            // Not HashCode.Combine: its seed changes from process to process, and a run must replay.
            var seed = unchecked((settings.Seed * 397) ^ (episode * 7919));
            containers.Add(RunEpisode(episode, GraphProgram.Generate(seed), new Random(seed)));
            baseline ??= HeapAfterFullCollection();
        }

        for (var attempt = 0; attempt < 10 && containers.Any(c => c.IsAlive); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        _report.ContainersAlive = containers.Count(c => c.IsAlive);
        _report.HeapGrowthBytes = HeapAfterFullCollection() - (baseline ?? 0);
        return _report;
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private WeakReference RunEpisode(int episode, GraphProgram program, Random random)
    {
        Interlocked.Increment(ref _report.Episodes);
        var database = new VersionedDatabase(program.Rows);
        var lookup = new NodeLookup();
        var useAutofac = episode % 2 == 0;
        var profile = ResilienceProfile.Pick(random);
        if (profile != ResilienceProfile.None)
        {
            Interlocked.Increment(ref _report.ResilientEpisodes);
        }

        var (scope, caches, writer, sweeper) = useAutofac ? BuildAutofac(program, database, lookup, profile) : BuildServiceProvider(program, database, lookup, profile);
        var providerReference = new WeakReference(caches);
        var disposeMidRun = random.Next(4) == 0;
        var episodeLength = TimeSpan.FromMilliseconds(random.Next(300, 1200));
        var disposing = new Flag();
        using var stop = new CancellationTokenSource();

        var observations = new ConcurrentBag<List<Observation>>();
        var invalidations = new ConcurrentBag<List<Invalidation>>();
        var slots = new CallSlot[settings.SyncReaders + settings.AsyncReaders];
        var workers = new List<Task>();
        for (var r = 0; r < settings.SyncReaders; r++)
        {
            var slot = slots[r] = new CallSlot();
            var log = new List<Observation>();
            observations.Add(log);
            var readerSeed = random.Next();
            workers.Add(Task.Factory.StartNew(() => ReadSync(program, profile, lookup, new Random(readerSeed), slot, log, disposing, stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        for (var r = 0; r < settings.AsyncReaders; r++)
        {
            var slot = slots[settings.SyncReaders + r] = new CallSlot();
            var log = new List<Observation>();
            observations.Add(log);
            var readerSeed = random.Next();
            workers.Add(Task.Run(() => ReadAsync(program, profile, lookup, new Random(readerSeed), slot, log, disposing, stop.Token)));
        }

        for (var w = 0; w < settings.Writers; w++)
        {
            var log = new List<Invalidation>();
            invalidations.Add(log);
            var writerSeed = random.Next();
            var defaultCache = caches.GetCache(TagCacheOptions.DefaultCacheName);
            workers.Add(Task.Run(() => Write(database, defaultCache, writer, sweeper, new Random(writerSeed), log, profile, disposing, stop.Token)));
        }

        var episodeClock = Stopwatch.StartNew();
        var disposeAt = disposeMidRun ? TimeSpan.FromTicks(episodeLength.Ticks / 2) : TimeSpan.MaxValue;
        var all = Task.WhenAll(workers);
        while (!all.IsCompleted)
        {
            if (episodeClock.Elapsed > episodeLength && !stop.IsCancellationRequested)
            {
                stop.Cancel();
            }

            if (episodeClock.Elapsed > disposeAt && !disposing.Value)
            {
                disposing.Value = true;
                Interlocked.Increment(ref _report.DisposedMidRun);
                scope.Dispose();
            }

            if (slots.FirstOrDefault(s => s.RunningFor() > settings.CallDeadline) is { } hung)
            {
                Interlocked.Increment(ref _report.Hangs);
                ThreadPool.GetAvailableThreads(out var availableWorkers, out _);
                _report.Fail(
                    $"HANG (episode {episode}, graph seed {program.Seed}, {profile}): {hung.Describe()} did not finish within {settings.CallDeadline.TotalSeconds:F0} s. " +
                    $"Thread pool: {ThreadPool.ThreadCount} threads, {availableWorkers} available, {ThreadPool.PendingWorkItemCount} work items queued. " +
                    $"Flights:{Environment.NewLine}{((TagCacheStore)caches.GetCache(TagCacheOptions.DefaultCacheName)).DescribeFlights()}{Environment.NewLine}Call graph:{Environment.NewLine}{hung.Graph}");
                stop.Cancel();
                return providerReference;
            }

            all.Wait(TimeSpan.FromMilliseconds(20));
        }

        if (all.IsFaulted)
        {
            _report.Fail($"a worker failed (episode {episode}, graph seed {program.Seed}): {all.Exception}");
        }

        CheckNoFlightsRemain(caches, episode);
        if (!disposing.Value)
        {
            Count(caches.GetCache(TagCacheOptions.DefaultCacheName));
            scope.Dispose();
        }

        var report = History.Check(program.Rows, observations, invalidations);
        Interlocked.Add(ref _report.RowVersionsChecked, report.Observations);
        Interlocked.Add(ref _report.StaleReads, report.Stale);
        foreach (var example in report.Examples)
        {
            _report.Fail($"STALE (episode {episode}, graph seed {program.Seed}, {profile}): {example}");
        }

        return providerReference;
    }

    /// <summary>
    /// Every flight ends: a caller that cancelled may leave a computation finishing in the background for a moment, but
    /// none may stay in the map longer than a call may take.
    /// </summary>
    private void CheckNoFlightsRemain(ITagCacheProvider caches, int episode)
    {
        var store = (TagCacheStore)caches.GetCache(TagCacheOptions.DefaultCacheName);
        var waited = Stopwatch.StartNew();
        while (store.FlightCount != 0 && waited.Elapsed < settings.CallDeadline)
        {
            Thread.Sleep(10);
        }

        if (store.FlightCount != 0)
        {
            _report.Fail($"{store.FlightCount} flights remain {settings.CallDeadline.TotalSeconds:F0} s after episode {episode} ended");
        }
    }

    /// <summary>Adds what the episode's cache counted of fallbacks and refreshes to the report.</summary>
    private void Count(ITagCache cache)
    {
        if (((TagCacheStore)cache).GetCurrentStatistics() is { } statistics)
        {
            Interlocked.Add(ref _report.FallbacksFailed, statistics.FallbacksFailed);
            Interlocked.Add(ref _report.FallbacksTimedOut, statistics.FallbacksTimedOut);
            Interlocked.Add(ref _report.FallbacksThrottled, statistics.FallbacksThrottled);
            Interlocked.Add(ref _report.Refreshes, statistics.Refreshes);
            Interlocked.Add(ref _report.Hedges, statistics.Hedges);
        }
    }

    private void ReadSync(GraphProgram program, ResilienceProfile profile, NodeLookup lookup, Random random, CallSlot slot, List<Observation> log, Flag disposing, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !disposing.Value)
        {
            var call = NextCall(program, random, async: false);
            using var cancel = call.Cancels ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 3))) : null;
            slot.Begin(call, program);
            var started = Interlocked.Increment(ref _clock);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                var service = lookup[call.Implementation];
                var reading = program.Nodes[call.Node].Shape switch
                {
                    Shape.Sync => service.Sync(call.Node, call.Argument, cancel?.Token ?? default),
                    Shape.Task => service.Async(call.Node, call.Argument, cancel?.Token ?? default).GetAwaiter().GetResult(),
                    _ => service.Value(call.Node, call.Argument, cancel?.Token ?? default).AsTask().GetAwaiter().GetResult(),
                };
                Accept(program, call, reading, started, log);
            }
            catch (Exception exception)
            {
                Judge(program, profile, call, exception, cancel, disposing, started, log);
            }
            finally
            {
                _report.NoteLatency(stopwatch.Elapsed.Ticks);
                slot.End();
            }
        }
    }

    private async Task ReadAsync(GraphProgram program, ResilienceProfile profile, NodeLookup lookup, Random random, CallSlot slot, List<Observation> log, Flag disposing, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !disposing.Value)
        {
            var call = NextCall(program, random, async: true);
            using var cancel = call.Cancels ? new CancellationTokenSource(TimeSpan.FromMilliseconds(random.Next(0, 3))) : null;
            slot.Begin(call, program);
            var started = Interlocked.Increment(ref _clock);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                var reading = await NodeRunner.Call(lookup[call.Implementation], program.Nodes[call.Node].Shape, call.Node, call.Argument, cancel?.Token ?? default)
                    .WaitAsync(settings.CallDeadline * 2).ConfigureAwait(false);
                Accept(program, call, reading, started, log);
            }
            catch (TimeoutException)
            {
                // The watchdog reports it, with the call graph.
                return;
            }
            catch (Exception exception)
            {
                Judge(program, profile, call, exception, cancel, disposing, started, log);
            }
            finally
            {
                _report.NoteLatency(stopwatch.Elapsed.Ticks);
                slot.End();
            }
        }
    }

    private async Task Write(VersionedDatabase database, ITagCache cache, IRowWriter writer, ICacheSweeper sweeper, Random random, List<Invalidation> log, ResilienceProfile profile, Flag disposing, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && !disposing.Value)
        {
            var row = random.Next(database.RowCount);
            var version = database.Write(row);
            try
            {
                switch (random.Next(6))
                {
                    case 0:
                        cache.InvalidateTags(CacheTags.Format($"Row_{row}"));
                        break;
                    case 1:
                        await cache.InvalidateTagsAsync([CacheTags.Format($"Row_{row}")]).ConfigureAwait(false);
                        break;
                    case 2:
                        writer.Touch(row);
                        break;
                    case 3:
                        await writer.TouchAsync(row).ConfigureAwait(false);
                        break;
                    case 4:
                        sweeper.Sweep(new RowChanged(row));
                        break;
                    default:
                        await sweeper.SweepAsync(new RowMoved(row)).ConfigureAwait(false);
                        break;
                }
            }
            catch (Exception exception) when (disposing.Value && IsDisposal(exception))
            {
                return;
            }

            lock (log)
            {
                log.Add(new Invalidation(Interlocked.Increment(ref _clock), row, version));
            }

            Interlocked.Increment(ref _report.Invalidations);

            // With resilience, rows change less often, so entries expire (and fall back, and refresh) before they are invalidated.
            await Task.Delay(profile == ResilienceProfile.None ? random.Next(2) : random.Next(20)).ConfigureAwait(false);
        }
    }

    private static TopCall NextCall(GraphProgram program, Random random, bool async) => new(
        GraphProgram.Implementations[random.Next(GraphProgram.Implementations.Length)],
        random.Next(program.Nodes.Count),
        random.Next(program.Arguments),
        Cancels: random.Next(async ? 5 : 8) == 0);

    private void Accept(GraphProgram program, TopCall call, Reading reading, long started, List<Observation> log)
    {
        Interlocked.Increment(ref _report.Calls);
        Interlocked.Increment(ref _report.Values);
        if (IdentityProblem(program, call.Implementation, call.Node, call.Argument, reading) is { } problem)
        {
            _report.Fail($"WRONG RESULT: {call} returned {problem}. Call graph:{Environment.NewLine}{program.Describe(call.Implementation, call.Node)}");
        }

        Observe(reading, started, log);
    }

    private void Judge(GraphProgram program, ResilienceProfile profile, TopCall call, Exception exception, CancellationTokenSource? cancel, Flag disposing, long started, List<Observation> log)
    {
        Interlocked.Increment(ref _report.Calls);
        switch (exception)
        {
            case RowFailure failure:
                Interlocked.Increment(ref _report.InjectedFailures);
                foreach (var seen in failure.Seen)
                {
                    log.Add(new Observation(started, seen.Row, seen.Version));
                }

                return;
            case InvalidOperationException when exception.Message.Contains("TagCache detected a cycle", StringComparison.Ordinal):
                Interlocked.Increment(ref _report.CycleErrors);
                if (!program.ReachesCycle(call.Implementation, call.Node))
                {
                    _report.Fail($"FALSE CYCLE: {call} reported a cycle its graph does not have. {exception.Message}{Environment.NewLine}{program.Describe(call.Implementation, call.Node)}");
                }

                return;
            case OperationCanceledException:
                Interlocked.Increment(ref _report.Cancellations);
                if (cancel is not { IsCancellationRequested: true })
                {
                    _report.Fail($"CANCELLATION LEAKED: {call} was not cancelled by its caller but got {exception.GetType().Name}: {exception}");
                }

                return;
            case SourceFailure:
                Interlocked.Increment(ref _report.SourceFailures);
                return;
            case TimeoutException when profile.TimesOut && exception.Message.Contains("did not complete within its hard timeout", StringComparison.Ordinal):
                // A hard timeout with no fallback, here or in a cached call the graph makes (it propagates like any failure).
                Interlocked.Increment(ref _report.Timeouts);
                return;
            case var _ when disposing.Value && IsDisposal(exception):
                Interlocked.Increment(ref _report.Disposals);
                return;
            default:
                _report.Fail($"UNEXPECTED: {call} threw {exception}{Environment.NewLine}{program.Describe(call.Implementation, call.Node)}");
                return;
        }
    }

    private static bool IsDisposal(Exception exception) =>
        exception is ObjectDisposedException || exception.InnerException is ObjectDisposedException
        || (exception is AggregateException aggregate && aggregate.InnerExceptions.All(IsDisposal));

    private static string? IdentityProblem(GraphProgram program, string implementation, int node, int argument, Reading reading)
    {
        if (reading.Implementation != implementation || reading.Node != node || reading.Argument != argument)
        {
            return $"the value of {reading.Implementation} node {reading.Node} argument {reading.Argument}";
        }

        var expected = program.Nodes[node].Children;
        foreach (var child in reading.Children)
        {
            if (!expected.Any(c => c.Implementation == child.Implementation && c.Node == child.Node) || child.Argument != argument)
            {
                return $"a child value of {child.Implementation} node {child.Node} argument {child.Argument}, which {implementation} node {node} does not call";
            }

            if (IdentityProblem(program, child.Implementation, child.Node, argument, child) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static void Observe(Reading reading, long started, List<Observation> log)
    {
        foreach (var row in reading.Rows.Concat(reading.CaughtFailures))
        {
            log.Add(new Observation(started, row.Row, row.Version));
        }

        foreach (var child in reading.Children)
        {
            Observe(child, started, log);
        }
    }

    private static (IDisposable Scope, ITagCacheProvider Caches, IRowWriter Writer, ICacheSweeper Sweeper) BuildAutofac(GraphProgram program, VersionedDatabase database, NodeLookup lookup, ResilienceProfile profile)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(options => Configure(options, profile));
        builder.RegisterInstance(program).ExternallyOwned();
        builder.RegisterInstance(database).ExternallyOwned();
        builder.RegisterInstance(lookup).ExternallyOwned();
        builder.RegisterType<AlphaNodes>().Keyed<IGraphNode>("alpha").SingleInstance().EnableTagCaching();
        builder.Register(c => new BetaNodes("beta", program, database, lookup)).Keyed<IGraphNode>("beta").SingleInstance().EnableTagCaching();
        builder.Register(c => new BetaNodes("gamma", program, database, lookup)).Keyed<IGraphNode>("gamma").SingleInstance().EnableTagCaching();
        builder.RegisterType<RowWriter>().As<IRowWriter>().SingleInstance().EnableTagCaching();
        var container = builder.Build();
        lookup.Set(GraphProgram.Implementations.ToDictionary(i => i, i => container.ResolveKeyed<IGraphNode>(i)));
        return (container, container.Resolve<ITagCacheProvider>(), container.Resolve<IRowWriter>(), container.Resolve<ICacheSweeper>());
    }

    private static (IDisposable Scope, ITagCacheProvider Caches, IRowWriter Writer, ICacheSweeper Sweeper) BuildServiceProvider(GraphProgram program, VersionedDatabase database, NodeLookup lookup, ResilienceProfile profile)
    {
        var services = new ServiceCollection();
        services.AddTagCache(options => Configure(options, profile));
        services.AddKeyedSingleton<IGraphNode>("alpha", (_, _) => new AlphaNodes(program, database, lookup));
        services.AddKeyedSingleton<IGraphNode>("beta", (_, _) => new BetaNodes("beta", program, database, lookup));
        services.AddKeyedSingleton<IGraphNode>("gamma", (_, _) => new BetaNodes("gamma", program, database, lookup));
        services.AddSingleton<IRowWriter, RowWriter>();
        services.AddTagCaching<IGraphNode>();
        services.AddTagCaching<IRowWriter>();
        var provider = services.BuildServiceProvider();
        lookup.Set(GraphProgram.Implementations.ToDictionary(i => i, i => provider.GetRequiredKeyedService<IGraphNode>(i)));
        return (provider, provider.GetRequiredService<ITagCacheProvider>(), provider.GetRequiredService<IRowWriter>(), provider.GetRequiredService<ICacheSweeper>());
    }

    private static void Configure(TagCacheOptions options, ResilienceProfile profile)
    {
        options
            .InvalidateOn<RowChanged>("Row_{Row}")
            .InvalidateOn<RowMoved>(e => [CacheTags.Format($"Row_{e.Row}")]);
        profile.ApplyTo(options);
    }

    private sealed record TopCall(string Implementation, int Node, int Argument, bool Cancels);

    /// <summary>What one reader is calling right now, for the watchdog.</summary>
    private sealed class CallSlot
    {
        private TopCall? _call;
        private string _graph = string.Empty;
        private long _since;

        public string Graph => _graph;

        public void Begin(TopCall call, GraphProgram program)
        {
            _graph = program.Describe(call.Implementation, call.Node);
            _call = call;
            Volatile.Write(ref _since, Stopwatch.GetTimestamp());
        }

        public void End() => Volatile.Write(ref _since, 0);

        public TimeSpan RunningFor()
        {
            var since = Volatile.Read(ref _since);
            return since == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(since);
        }

        public string Describe() => _call?.ToString() ?? "a call";
    }

    private sealed class Flag
    {
        private volatile bool _value;

        public bool Value
        {
            get => _value;
            set => _value = value;
        }
    }
}

public sealed record RowChanged(int Row);

public sealed record RowMoved(int Row);

public interface IRowWriter
{
    [InvalidateTags("Row_{row}")]
    void Touch(int row);

    [InvalidateTags("Row_{row}")]
    Task TouchAsync(int row);
}

public sealed class RowWriter : IRowWriter
{
    public void Touch(int row)
    {
    }

    public async Task TouchAsync(int row) => await Task.Yield();
}
