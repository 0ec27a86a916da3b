using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using TagCache.Sharing;

namespace TagCache.Core.Tests.Sharing;

/// <summary>
/// The node that follows a shared log, over an in-memory log: it keeps time on the injected clock (gate, poll), runs
/// nothing until started, and stops without blocking a thread.
/// </summary>
[TestClass]
public sealed class SharedVersionNodeTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);
    private static readonly SharingSettings Settings = new(
        MaxStaleness: TimeSpan.FromSeconds(5),
        PollInterval: TimeSpan.FromSeconds(1),
        Retention: TimeSpan.FromHours(1),
        PruneInterval: TimeSpan.FromMinutes(5),
        MaxReconnectDelay: TimeSpan.FromSeconds(5),
        BatchSize: 100);

    [TestMethod]
    public async Task Start_NotCalled_NothingReadsTheLog()
    {
        var log = new MemoryLog();
        await using var node = new SharedVersionNode(log, Settings, new FakeTimeProvider(), NullLoggerFactory.Instance, includeSensitiveData: false);

        await Task.Delay(100);

        Assert.AreEqual(0, log.Reads);
        Assert.IsFalse(node.Gate.IsOpen);
    }

    [TestMethod]
    public async Task Gate_NoCatchUpWithinMaxStaleness_ClosesOnTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var log = new MemoryLog();
        await using var node = Started(log, time);
        await node.Ready.WaitAsync(Guard);
        Assert.IsTrue(node.Gate.IsOpen);

        log.Failing = true;
        time.Advance(Settings.MaxStaleness - TimeSpan.FromMilliseconds(1));
        var stillOpen = node.Gate.IsOpen;
        time.Advance(TimeSpan.FromMilliseconds(2));

        Assert.IsTrue(stillOpen, "open for MaxStaleness of the injected clock");
        Assert.IsFalse(node.Gate.IsOpen, "closed once it passed, though no real time did");
    }

    [TestMethod]
    public async Task Poll_NoWakeUp_ReadsTheLogOncePerPollIntervalOfTheInjectedClock()
    {
        var time = new FakeTimeProvider();
        var log = new MemoryLog { Listens = false };
        await using var node = Started(log, time);
        await node.Ready.WaitAsync(Guard);
        var before = log.Reads;

        log.Append("default", "Other_1", writer: "another node");
        await Task.Delay(200);
        var withoutTime = log.Reads;
        time.Advance(Settings.PollInterval);
        await WaitUntil(() => node.RowsApplied == 1);

        Assert.AreEqual(before, withoutTime, "no poll before the interval passed on the injected clock");
        Assert.AreEqual(1, node.RowsApplied, "the poll read the other node's row");
    }

    [TestMethod]
    public async Task WakeUp_FromAnotherNode_ReadsAtOnce_OwnRowsAreNotAppliedAgain()
    {
        var log = new MemoryLog();
        await using var node = Started(log, new FakeTimeProvider());
        await node.Ready.WaitAsync(Guard);

        await node.AppendAsync("default", ["Own_1"], async: true, CancellationToken.None);
        log.Append("default", "Other_1", writer: "another node");
        await WaitUntil(() => node.RowsApplied == 1);

        Assert.AreEqual(1, node.RowsApplied, "the other node's row, read on its wake-up; its own row not twice");
    }

    [TestMethod]
    public void Dispose_LoopThatIgnoresCancellation_ReturnsAtOnce()
    {
        var log = new MemoryLog { ListenIgnoresCancellation = true };
        var node = Started(log, new FakeTimeProvider());
        Assert.IsTrue(log.Listening.Wait(Guard));

        var clock = Stopwatch.StartNew();
        node.Dispose();

        Assert.IsLessThan(TimeSpan.FromSeconds(1), clock.Elapsed, "no thread blocked waiting for the loops");
    }

    [TestMethod]
    public async Task DisposeAsync_WaitsForTheLoopsThenReleasesTheLog()
    {
        var log = new MemoryLog();
        var node = Started(log, new FakeTimeProvider());
        await node.Ready.WaitAsync(Guard);

        await node.DisposeAsync();

        Assert.IsTrue(log.Disposed);
        Assert.IsFalse(log.ListenRunning, "the listening loop had ended when the log was released");
    }

    private static SharedVersionNode Started(MemoryLog log, TimeProvider time)
    {
        var node = new SharedVersionNode(log, Settings, time, NullLoggerFactory.Instance, includeSensitiveData: false);
        node.For("default");
        node.Start();
        return node;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsLessThan(Guard, clock.Elapsed, "timed out");
            await Task.Delay(5);
        }
    }

    /// <summary>A log in memory: rows in a list, a wake-up for every append, and switches to fail or ignore cancellation.</summary>
    private sealed class MemoryLog : IInvalidationLog
    {
        private readonly List<LogRow> _rows = [];
        private readonly Guid _id = Guid.NewGuid();
        private Action<string?>? _woken;
        private int _reads;
        private volatile bool _listenRunning;

        public ManualResetEventSlim Listening { get; } = new();

        public bool Failing { get; set; }

        public bool Listens { get; init; } = true;

        public bool ListenIgnoresCancellation { get; init; }

        public int Reads => Volatile.Read(ref _reads);

        public bool Disposed { get; private set; }

        public bool ListenRunning => _listenRunning;

        public string Category => "TagCache.Tests";

        public string Store => "memory";

        public string Location => "a list";

        public void Append(string cache, string tag, string writer)
        {
            lock (_rows)
            {
                _rows.Add(new LogRow(_rows.Count + 1, cache, tag));
            }

            _woken?.Invoke(writer);
        }

        public ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken)
        {
            var sequences = new List<long>();
            lock (_rows)
            {
                foreach (var tag in tags)
                {
                    _rows.Add(new LogRow(_rows.Count + 1, cache, tag));
                    sequences.Add(_rows.Count);
                }
            }

            _woken?.Invoke(writer);
            return ValueTask.FromResult(sequences.ToArray());
        }

        public ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            lock (_rows)
            {
                return Failing ? ValueTask.FromException<LogPosition>(new TimeoutException()) : ValueTask.FromResult(new LogPosition(_id, 0, _rows.Count));
            }
        }

        public ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);
            if (Failing)
            {
                return ValueTask.FromException<LogPage>(new TimeoutException());
            }

            lock (_rows)
            {
                return ValueTask.FromResult(new LogPage(new LogPosition(_id, 0, after), [.. _rows.Where(r => r.Sequence > after).Take(limit)]));
            }
        }

        public ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);

        public async Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken)
        {
            if (!Listens)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return;
            }

            _listenRunning = true;
            try
            {
                _woken = woken;
                listening();
                Listening.Set();
                await Task.Delay(Timeout.Infinite, ListenIgnoresCancellation ? CancellationToken.None : cancellationToken).WaitAsync(ListenIgnoresCancellation ? TimeSpan.FromSeconds(10) : Timeout.InfiniteTimeSpan);
            }
            finally
            {
                _listenRunning = false;
            }
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
