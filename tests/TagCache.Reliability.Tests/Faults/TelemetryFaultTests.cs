using System.Diagnostics;
using System.Diagnostics.Metrics;
using Autofac;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TagCache.Stores;
using TagCache.Testing;

namespace TagCache.Reliability.Tests.Faults;

/// <summary>
/// Telemetry is an observer: a log sink, a meter listener or an activity listener that throws must never fail a call,
/// change its outcome or leave a computation's flight open (every later call of its key would wait forever). Every path
/// that records something is driven with each kind of throwing observer.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TelemetryFaultTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    public enum Observer
    {
        Logger,
        MeterListener,
        ActivityListener,
    }

    [TestMethod]
    [DataRow(Observer.Logger)]
    [DataRow(Observer.MeterListener)]
    [DataRow(Observer.ActivityListener)]
    public async Task ManualApi_EveryOutcomeWithAThrowingObserver_CompletesAsWithoutIt(Observer observer)
    {
        using var faulty = new ThrowingObserver(observer);
        var time = new FakeTimeProvider();
        using var caches = TagCacheFactory.Create(o => o.TrackStatistics = true, time, faulty.Loggers, faulty.Meters);
        var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);

        Assert.AreEqual(1, cache.GetOrSet("stored", () => 1, new TagCacheEntryOptions { Tags = ["T"] }), "miss, stored");
        Assert.AreEqual(1, cache.GetOrSet("stored", () => 2), "hit");
        Assert.AreEqual(3, cache.GetOrSet("discarded", () =>
        {
            cache.InvalidateTags("D");
            return 3;
        }, new TagCacheEntryOptions { Tags = ["D"] }), "discarded");
        Assert.AreEqual(4, cache.GetOrSet("discarded", () => 4, new TagCacheEntryOptions { Tags = ["D"] }), "the discarded key computes again");
        Assert.ThrowsExactly<InvalidTimeZoneException>(() => cache.GetOrSet<int>("failed", () => throw new InvalidTimeZoneException()));
        using (var cancelled = new CancellationTokenSource())
        {
            cancelled.Cancel();
            await Assert.ThrowsAsync<OperationCanceledException>(() => cache.GetOrSetAsync("cancelled", async ct =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return 5;
            }, cancellationToken: cancelled.Token).AsTask().WaitAsync(Guard));
        }

        Assert.ThrowsExactly<InvalidOperationException>(() => cache.GetOrSet("cycle", () => cache.GetOrSet("cycle", () => 6)));

        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = cache.GetOrSetAsync("joined", async _ => await gate.Task).AsTask();
        var second = cache.GetOrSetAsync("joined", async _ => await gate.Task).AsTask();
        gate.SetResult(7);
        CollectionAssert.AreEqual(new[] { 7, 7 }, await Task.WhenAll(first, second).WaitAsync(Guard), "joined");

        cache.Set("set", 8, new TagCacheEntryOptions { Tags = ["S"] });
        Assert.IsTrue(cache.TryGet("set", out int set) && set == 8);
        cache.InvalidateTags("S");
        await cache.InvalidateTagsAsync(["T"]);
        Assert.IsFalse(cache.TryGet("set", out int _));
        cache.Remove("stored");
        caches.Sweeper.Sweep(new object());
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.AreEqual(0, caches.GetStore(TagCacheOptions.DefaultCacheName).FlightCount, "every flight completed");
        Assert.IsGreaterThan(0, faulty.Thrown, "the observer did throw");
    }

    [TestMethod]
    [DataRow(Observer.Logger)]
    [DataRow(Observer.MeterListener)]
    [DataRow(Observer.ActivityListener)]
    public async Task ProxiedCalls_WithAThrowingObserver_CompleteAsWithoutIt(Observer observer)
    {
        using var faulty = new ThrowingObserver(observer);
        var builder = new ContainerBuilder();
        builder.AddTagCache(o => o.StrictInvalidation = false);
        builder.RegisterInstance(faulty.Loggers).As<ILoggerFactory>();
        builder.RegisterInstance(faulty.Meters).As<IMeterFactory>();
        builder.RegisterType<Readings>().As<IReadings>().SingleInstance().EnableTagCaching();
        using var container = builder.Build();
        var sut = container.Resolve<IReadings>();

        Assert.AreEqual(1, sut.Read(1));
        Assert.AreEqual(1, sut.Read(1));
        Assert.AreEqual(1, await sut.ReadAsync(1).WaitAsync(Guard));
        Assert.AreEqual(1, await sut.ReadAsync(1).WaitAsync(Guard));
        Assert.ThrowsExactly<ArithmeticException>(() => sut.Fail(2));
        sut.Change(1);
        Assert.AreEqual(2, sut.Read(1), "invalidated, computed again");
        Assert.IsGreaterThan(0, faulty.Thrown, "the observer did throw");
    }

    public interface IReadings
    {
        [CacheWithTags("Reading_{id}")]
        int Read(int id);

        [CacheWithTags("Reading_{id}")]
        Task<int> ReadAsync(int id);

        [CacheWithTags("Failing_{id}")]
        int Fail(int id);

        [InvalidateTags("Reading_{id}")]
        void Change(int id);
    }

    public sealed class Readings : IReadings
    {
        private int _version = 1;

        public int Read(int id) => _version;

        public Task<int> ReadAsync(int id) => Task.FromResult(_version);

        public int Fail(int id) => throw new ArithmeticException();

        public void Change(int id) => _version++;
    }

    /// <summary>A log sink, meter listener or activity listener that throws from every callback it gets.</summary>
    private sealed class ThrowingObserver : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly MeterListener? _meterListener;
        private readonly ActivityListener? _activityListener;
        private int _thrown;

        public ThrowingObserver(Observer observer)
        {
            Meters = _services.GetRequiredService<IMeterFactory>();
            Loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(new ThrowingLoggerProvider(this, observer == Observer.Logger)));
            if (observer == Observer.MeterListener)
            {
                _meterListener = new MeterListener
                {
                    InstrumentPublished = (instrument, listener) =>
                    {
                        if (ReferenceEquals(instrument.Meter.Scope, Meters))
                        {
                            listener.EnableMeasurementEvents(instrument);
                        }
                    },
                };
                _meterListener.SetMeasurementEventCallback<long>((_, _, _, _) => Throw());
                _meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => Throw());
                _meterListener.Start();
            }

            if (observer == Observer.ActivityListener)
            {
                _activityListener = new ActivityListener
                {
                    ShouldListenTo = s => s.Name == "TagCache",
                    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                    ActivityStarted = _ => Throw(),
                    ActivityStopped = _ => Throw(),
                };
                ActivitySource.AddActivityListener(_activityListener);
            }
        }

        public ILoggerFactory Loggers { get; }

        public IMeterFactory Meters { get; }

        public int Thrown => Volatile.Read(ref _thrown);

        public void Throw()
        {
            Interlocked.Increment(ref _thrown);
            throw new InvalidProgramException("an observer failed");
        }

        public void Dispose()
        {
            _meterListener?.Dispose();
            _activityListener?.Dispose();
            Loggers.Dispose();
            _services.Dispose();
        }
    }

    private sealed class ThrowingLoggerProvider(ThrowingObserver owner, bool throws) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ThrowingLogger(owner, throws);

        public void Dispose()
        {
        }
    }

    private sealed class ThrowingLogger(ThrowingObserver owner, bool throws) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (throws)
            {
                owner.Throw();
            }
        }
    }
}
