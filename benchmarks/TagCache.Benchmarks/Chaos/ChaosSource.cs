namespace TagCache.Benchmarks.Chaos;

/// <summary>A quote as the source holds it: every write of a product makes a new version.</summary>
public sealed record Quote(int Id, long Version);

/// <summary>How the source misbehaves in a scenario.</summary>
/// <param name="Name">The scenario, as the table shows it.</param>
/// <param name="FailureRate">The share of calls that throw during the chaos window.</param>
/// <param name="TailRate">The share of calls that take <paramref name="Tail"/> instead of a millisecond (at any time).</param>
/// <param name="Tail">How long a slow call takes.</param>
public sealed record ChaosScenario(string Name, double FailureRate, double TailRate, TimeSpan Tail)
{
    /// <summary>Gets how long each cache is driven.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromSeconds(9);

    /// <summary>Gets when the chaos window starts and ends within the run (failures apply only inside it).</summary>
    public static readonly (TimeSpan Start, TimeSpan End) Window = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(6));

    public static ChaosScenario Failing { get; } = new("50 % of calls fail for 3 s", FailureRate: 0.5, TailRate: 0, Tail: TimeSpan.Zero);

    public static ChaosScenario SlowTail { get; } = new("2 % of calls take 2 s", FailureRate: 0, TailRate: 0.02, Tail: TimeSpan.FromSeconds(2));
}

/// <summary>
/// The database both caches sit in front of: versioned rows, a millisecond per read, and the scenario's failures and slow
/// tail. It counts the calls that reach it.
/// </summary>
public sealed class ChaosSource(ChaosScenario scenario, int rows)
{
    private readonly long[] _versions = new long[rows];
    private long _calls;
    private long _started;

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Starts the run's clock: the chaos window is measured from here.</summary>
    public void Start() => Interlocked.Exchange(ref _started, System.Diagnostics.Stopwatch.GetTimestamp());

    public long Write(int id) => Interlocked.Increment(ref _versions[id]);

    public async Task<Quote> ReadAsync(int id, CancellationToken token)
    {
        Interlocked.Increment(ref _calls);
        var version = Volatile.Read(ref _versions[id]);
        var slow = scenario.TailRate > 0 && Random.Shared.NextDouble() < scenario.TailRate;
        await Task.Delay(slow ? scenario.Tail : TimeSpan.FromMilliseconds(1), token).ConfigureAwait(false);
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref _started));
        if (elapsed >= ChaosScenario.Window.Start && elapsed < ChaosScenario.Window.End && Random.Shared.NextDouble() < scenario.FailureRate)
        {
            throw new InvalidOperationException("The database is down.");
        }

        return new Quote(id, version);
    }
}
