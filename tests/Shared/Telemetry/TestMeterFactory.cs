using System.Diagnostics.Metrics;

namespace TagCache.Testing;

/// <summary>
/// A meter factory of one test: its meters carry it as their scope, so a <see cref="MeterRecorder"/> hears only them,
/// whatever other tests run at the same time.
/// </summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Scope = this;
        var meter = new Meter(options);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public void Dispose()
    {
        lock (_meters)
        {
            _meters.ForEach(m => m.Dispose());
            _meters.Clear();
        }
    }
}
