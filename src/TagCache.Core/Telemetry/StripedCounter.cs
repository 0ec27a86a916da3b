namespace TagCache.Telemetry;

/// <summary>
/// A counter many threads add to at once without fighting over one cache line: one cell per processor (padded apart),
/// summed when read. For the statistics snapshot, which is counted on the hit path when turned on.
/// </summary>
internal sealed class StripedCounter
{
    // Longs per 64-byte cache line, so two processors never write the same line.
    private const int Stride = 8;

    private readonly long[] _cells;
    private readonly int _mask;

    public StripedCounter()
    {
        var stripes = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, Environment.ProcessorCount));
        _cells = new long[stripes * Stride];
        _mask = stripes - 1;
    }

    public void Add(long value) => Interlocked.Add(ref _cells[(Thread.GetCurrentProcessorId() & _mask) * Stride], value);

    public long Sum()
    {
        var sum = 0L;
        for (var i = 0; i < _cells.Length; i += Stride)
        {
            sum += Volatile.Read(ref _cells[i]);
        }

        return sum;
    }
}

/// <summary>What one cache counted since it was made, when <see cref="TagCacheOptions.TrackStatistics"/> is on.</summary>
internal sealed class CacheCounters
{
    public StripedCounter Hits { get; } = new();

    public StripedCounter MissesAbsent { get; } = new();

    public StripedCounter MissesStale { get; } = new();

    public StripedCounter MissesBypassed { get; } = new();

    public StripedCounter Stored { get; } = new();

    public StripedCounter Discarded { get; } = new();

    public StripedCounter Failed { get; } = new();

    public StripedCounter Cancelled { get; } = new();

    public StripedCounter Joins { get; } = new();

    public StripedCounter Invalidations { get; } = new();

    public StripedCounter Faults { get; } = new();

    public StripedCounter FallbacksFailed { get; } = new();

    public StripedCounter FallbacksTimedOut { get; } = new();

    public StripedCounter FallbacksThrottled { get; } = new();

    public StripedCounter Refreshes { get; } = new();

    public StripedCounter Hedges { get; } = new();

    public StripedCounter RefreshesFailed { get; } = new();

    public StripedCounter SecondLevelHits { get; } = new();

    public StripedCounter SecondLevelRejections { get; } = new();

    public StripedCounter SecondLevelFaults { get; } = new();

    public StripedCounter SecondLevelBytesWritten { get; } = new();

    public StripedCounter SecondLevelSkipped { get; } = new();

    public void Count(FallbackReason reason) =>
        (reason switch
        {
            FallbackReason.Failed => FallbacksFailed,
            FallbackReason.TimedOut => FallbacksTimedOut,
            _ => FallbacksThrottled,
        }).Add(1);

    public void Count(Lookup lookup) =>
        (lookup switch
        {
            Lookup.Hit or Lookup.RefreshDue => Hits,
            Lookup.Fallback => FallbacksThrottled,
            Lookup.Absent => MissesAbsent,
            Lookup.Stale => MissesStale,
            _ => MissesBypassed,
        }).Add(1);

    public void Count(ComputationOutcome outcome) =>
        (outcome switch
        {
            ComputationOutcome.Stored => Stored,
            ComputationOutcome.Discarded => Discarded,
            ComputationOutcome.Failed => Failed,
            _ => Cancelled,
        }).Add(1);
}
