using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TagCache.Telemetry;

/// <summary>
/// The meter, its instruments and the activity source of one <see cref="TagCacheProvider"/>. Made per provider (never
/// static), so a container's telemetry dies with it, and made through the host's <see cref="IMeterFactory"/> when there is
/// one, so tests and hosts can tell containers apart.
/// </summary>
internal sealed class TagCacheInstruments : IDisposable
{
    // Seconds: the SDK's default buckets are for milliseconds, and a computation is typically well under a second.
    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly string? Version = typeof(TagCacheInstruments).Assembly.GetName().Version?.ToString();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <param name="meterFactory">The host's meter factory, which owns the meter; <see langword="null"/> makes one this owns.</param>
    /// <param name="entries">Reports the entries of every cache, each measurement tagged with its cache.</param>
    public TagCacheInstruments(IMeterFactory? meterFactory, Func<IEnumerable<Measurement<long>>> entries)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(TelemetryNames.Meter) { Version = Version }) ?? new Meter(TelemetryNames.Meter, Version);
        Source = new ActivitySource(TelemetryNames.ActivitySource, Version);

        Requests = _meter.CreateCounter<long>(TelemetryNames.Requests, "{request}", "Reads of a cache, by result (hit, miss or fallback) and, for a miss or a fallback, its reason.");
        Computations = _meter.CreateCounter<long>(TelemetryNames.Computations, "{computation}", "Computations run on a miss, by outcome.");
        ComputationDuration = _meter.CreateHistogram(
            TelemetryNames.ComputationDuration,
            "s",
            "How long computations run on a miss took.",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        Joins = _meter.CreateCounter<long>(TelemetryNames.Joins, "{request}", "Callers served by another caller's computation of the same key.");
        Invalidations = _meter.CreateCounter<long>(TelemetryNames.Invalidations, "{tag}", "Tags invalidated, by origin.");
        Faults = _meter.CreateCounter<long>(TelemetryNames.Faults, "{fault}", "Failures of a cache that a call worked around by running uncached.");
        Refreshes = _meter.CreateCounter<long>(TelemetryNames.Refreshes, "{refresh}", "Background refreshes of entries past their eager-refresh threshold, by outcome.");
        Hedges = _meter.CreateCounter<long>(TelemetryNames.Hedges, "{computation}", "Slow computations past a caller's soft timeout, with no fallback, that a second computation of the key replaced.");
        SecondLevelRejections = _meter.CreateCounter<long>(TelemetryNames.SecondLevelRejections, "{value}", "Values found in the second level that this node refused, by reason (invalidated, too_old, other_log, behind, type, expired).");
        SecondLevelFaults = _meter.CreateCounter<long>(TelemetryNames.SecondLevelFaults, "{fault}", "Second-level reads and writes that failed, timed out or found unreadable bytes (by operation: read, write, payload); the call went on with the first level only.");
        SecondLevelBytesWritten = _meter.CreateCounter<long>(TelemetryNames.SecondLevelBytesWritten, "By", "Bytes written to the second level.");
        SecondLevelSkipped = _meter.CreateCounter<long>(TelemetryNames.SecondLevelSkipped, "{value}", "Values not written to the second level, by reason (too_large, not_serializable).");
        _meter.CreateObservableUpDownCounter(TelemetryNames.Entries, entries, "{entry}", "Entries held by a cache, fresh or stale.");
    }

    public ActivitySource Source { get; }

    public Counter<long> Requests { get; }

    public Counter<long> Computations { get; }

    public Histogram<double> ComputationDuration { get; }

    public Counter<long> Joins { get; }

    public Counter<long> Invalidations { get; }

    public Counter<long> Faults { get; }

    public Counter<long> Refreshes { get; }

    public Counter<long> SecondLevelRejections { get; }

    public Counter<long> SecondLevelFaults { get; }

    public Counter<long> SecondLevelBytesWritten { get; }

    public Counter<long> SecondLevelSkipped { get; }

    public Counter<long> Hedges { get; }

    public void Dispose()
    {
        Source.Dispose();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
