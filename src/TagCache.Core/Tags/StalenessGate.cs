namespace TagCache.Tags;

/// <summary>
/// Whether this node's tag versions are recent enough to serve hits. A shared version store opens it, for its staleness
/// bound, from the moment each catch-up that reached the log's head was sent; while it is closed reads compute fresh and
/// store nothing. Monotonic milliseconds (<see cref="Environment.TickCount64"/>): no wall clock, so no skew, and a process
/// paused past the bound finds it closed when it wakes.
/// </summary>
internal sealed class StalenessGate
{
    private long _openUntil;

    public bool IsOpen => Environment.TickCount64 < Volatile.Read(ref _openUntil);

    /// <summary>Keeps the gate open until <paramref name="tick"/>, unless it is already open for longer.</summary>
    public void OpenUntil(long tick)
    {
        var observed = Volatile.Read(ref _openUntil);
        while (tick > observed)
        {
            var previous = Interlocked.CompareExchange(ref _openUntil, tick, observed);
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
