namespace TagCache.Tags;

/// <summary>
/// Whether this node's tag versions are recent enough to serve hits. A shared version store opens it, for its staleness
/// bound, from the moment each catch-up that reached the log's head was sent; while it is closed reads compute fresh and
/// store nothing. Monotonic time only, no wall clock (so no skew), and a process paused past the bound finds it closed when
/// it wakes: <see cref="Environment.TickCount64"/> on the system's time (a few nanoseconds, read on every tagged hit), the
/// injected <see cref="TimeProvider"/>'s timestamp otherwise (tests move it).
/// </summary>
internal sealed class StalenessGate(TimeProvider time)
{
    private readonly TimeProvider? _time = ReferenceEquals(time, TimeProvider.System) ? null : time;
    private long _openUntil;

    public bool IsOpen => Now < Volatile.Read(ref _openUntil);

    /// <summary>Gets the gate's clock, in milliseconds.</summary>
    public long Now => _time is null ? Environment.TickCount64 : _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    /// <summary>Keeps the gate open until <paramref name="milliseconds"/> (on <see cref="Now"/>'s clock), unless it is already open for longer.</summary>
    public void OpenUntil(long milliseconds)
    {
        var observed = Volatile.Read(ref _openUntil);
        while (milliseconds > observed)
        {
            var previous = Interlocked.CompareExchange(ref _openUntil, milliseconds, observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }

    /// <summary>Closes the gate now, whatever it was opened until: the versions are known to be incomplete.</summary>
    public void Close() => Volatile.Write(ref _openUntil, 0);
}
