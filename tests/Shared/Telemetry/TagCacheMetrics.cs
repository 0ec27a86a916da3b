using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace TagCache.Testing;

/// <summary>One measurement as an instrument reported it.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>Gets a value indicating whether every given tag has the given value (null: the tag is absent).</summary>
    public bool Has(params (string Name, object? Value)[] tags) =>
        tags.All(t => t.Value is null ? !Tags.ContainsKey(t.Name) : Tags.TryGetValue(t.Name, out var v) && Equals(v, t.Value));
}

/// <summary>
/// TagCache's instruments, each collected by a <see cref="MetricCollector{T}"/> from the meters of one meter factory (the
/// host's, made by <c>AddMetrics()</c>): a test hears only its own caches, whatever other tests run at the same time.
/// </summary>
public sealed class TagCacheMetrics : IDisposable
{
    private static readonly string[] Counters = ["tagcache.requests", "tagcache.computations", "tagcache.joins", "tagcache.invalidations", "tagcache.faults", "tagcache.entries", "tagcache.refreshes", "tagcache.l2.rejections", "tagcache.l2.faults", "tagcache.l2.bytes_written", "tagcache.l2.skipped"];

    private readonly ServiceProvider? _owned;
    private readonly Dictionary<string, MetricCollector<long>> _counters;
    private readonly MetricCollector<double> _durations;

    /// <param name="meterFactory">The factory whose meters are heard; null makes one this owns.</param>
    public TagCacheMetrics(IMeterFactory? meterFactory = null)
    {
        if (meterFactory is null)
        {
            _owned = new ServiceCollection().AddMetrics().BuildServiceProvider();
            meterFactory = _owned.GetRequiredService<IMeterFactory>();
        }

        Factory = meterFactory;
        _counters = Counters.ToDictionary(name => name, name => new MetricCollector<long>(meterFactory, "TagCache", name));
        _durations = new MetricCollector<double>(meterFactory, "TagCache", "tagcache.computation.duration");
    }

    /// <summary>Gets the meter factory to hand TagCache.</summary>
    public IMeterFactory Factory { get; }

    /// <summary>Gets every measurement of every TagCache instrument so far.</summary>
    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _counters.Keys.Append("tagcache.computation.duration").SelectMany(Snapshot)];

    /// <summary>The measurements of one instrument that carry the given tags.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, params (string Name, object? Value)[] tags) =>
        [.. Snapshot(instrument).Where(m => m.Has(tags))];

    /// <summary>The sum of the measurements of one instrument that carry the given tags.</summary>
    public double Sum(string instrument, params (string Name, object? Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>Asks the observable instruments for their values now, and returns what <paramref name="instrument"/> reported.</summary>
    public IReadOnlyList<RecordedMeasurement> Observe(string instrument)
    {
        var collector = _counters[instrument];
        collector.Clear();
        collector.RecordObservableInstruments();
        return Snapshot(instrument);
    }

    public void Dispose()
    {
        foreach (var collector in _counters.Values)
        {
            collector.Dispose();
        }

        _durations.Dispose();
        _owned?.Dispose();
    }

    private IReadOnlyList<RecordedMeasurement> Snapshot(string instrument) =>
        instrument == "tagcache.computation.duration"
            ? [.. _durations.GetMeasurementSnapshot().Select(m => new RecordedMeasurement(instrument, m.Value, m.Tags))]
            : [.. _counters[instrument].GetMeasurementSnapshot().Select(m => new RecordedMeasurement(instrument, m.Value, m.Tags))];
}
