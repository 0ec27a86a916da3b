using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TagCache.Testing;

/// <summary>One measurement as an instrument reported it.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    /// <summary>Gets a value indicating whether every given tag has the given value (null: the tag is absent).</summary>
    public bool Has(params (string Name, object? Value)[] tags) =>
        tags.All(t => t.Value is null ? !Tags.ContainsKey(t.Name) : Tags.TryGetValue(t.Name, out var v) && Equals(v, t.Value));
}

/// <summary>Records every measurement of the meters one <see cref="TestMeterFactory"/> made, through a <see cref="MeterListener"/>.</summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MeterRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<RecordedMeasurement> Measurements => [.. _measurements];

    /// <summary>The measurements of one instrument that carry the given tags.</summary>
    public IReadOnlyList<RecordedMeasurement> Of(string instrument, params (string Name, object? Value)[] tags) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Has(tags))];

    /// <summary>The sum of the measurements of one instrument that carry the given tags.</summary>
    public double Sum(string instrument, params (string Name, object? Value)[] tags) => Of(instrument, tags).Sum(m => m.Value);

    /// <summary>Asks the observable instruments for their values now, and returns what they reported.</summary>
    public IReadOnlyList<RecordedMeasurement> Observe(string instrument)
    {
        var before = _measurements.Count;
        _listener.RecordObservableInstruments();
        return [.. _measurements.Skip(before).Where(m => m.Instrument == instrument)];
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value;
        }

        _measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copied));
    }
}
