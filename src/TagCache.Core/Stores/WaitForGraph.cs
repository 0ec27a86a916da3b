namespace TagCache.Stores;

/// <summary>
/// Cycle detection over the wait-for graph: computations are nodes, and a computation has an edge to every flight it
/// waits on (a nested computation it started, a flight it joined, several at once with <c>Task.WhenAll</c>).
/// </summary>
/// <remarks>
/// An edge made on a computation's own flow is certain. One made by code that merely shares its ambient context (work it
/// started with <c>Task.Run</c>, an async continuation) is only possible: the computation may never wait for that code.
/// A wait that closes a cycle of certain edges fails at once. Every wait inside a computation also looks again every
/// <see cref="Recheck"/> while it lasts, and fails if it is then part of a cycle: a cycle through possible edges is given
/// that long to resolve itself (background work waiting on the computation that started it gets the value when the
/// computation finishes), and no cycle outlives a recheck, whatever order its edges were made in. Every cycle holds at
/// least one joined wait (edges from a computation to one it started only ever point to a computation newer than the
/// waiter), and that wait is the one that finds it.
/// </remarks>
internal static class WaitForGraph
{
    /// <summary>How often a wait inside a computation looks again for a cycle it closes.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(2);

    /// <summary>Records that <paramref name="waiter"/> waits for <paramref name="flight"/>, unless that surely closes a cycle.</summary>
    /// <param name="waiter">The computation that waits.</param>
    /// <param name="flight">What it waits for.</param>
    /// <param name="edge">The edge, for <see cref="Computation.EndWait"/> when the wait ends.</param>
    /// <returns>False when the wait closes a cycle of certain waits: the caller fails with <see cref="CycleError"/>.</returns>
    public static bool TryBeginWait(Computation waiter, Flight flight, out WaitEdge edge)
    {
        var certain = waiter.IsOwnFlow;
        edge = waiter.AddWait(flight, certain);
        if (certain && Reaches(flight.Owner, waiter, certainOnly: true))
        {
            waiter.EndWait(edge);
            edge = default;
            return false;
        }

        return true;
    }

    /// <summary>Gets a value indicating whether the flight (transitively) waits on the waiter, through any edges.</summary>
    public static bool Closes(Computation waiter, Flight flight) => Reaches(flight.Owner, waiter, certainOnly: false);

    /// <param name="site">The method (or "a direct call") whose wait closed the cycle.</param>
    /// <param name="cache">The cache's name.</param>
    /// <param name="key">The key as messages may show it (see <see cref="Telemetry.CacheTelemetry.KeyText(object)"/>).</param>
    public static InvalidOperationException CycleError(string site, string cache, string key) =>
        new($"TagCache detected a cycle: {site} in cache '{cache}' needs, to compute its entry (key {key}), that same entry (directly or through other cached calls), which would deadlock. " +
            "Give the inner call a different key or call the uncached implementation.");

    private static bool Reaches(Computation start, Computation target, bool certainOnly)
    {
        if (ReferenceEquals(start, target))
        {
            return true;
        }

        var visited = new HashSet<Computation>(ReferenceEqualityComparer.Instance) { start };
        var pending = new Stack<Computation>();
        pending.Push(start);
        while (pending.TryPop(out var computation))
        {
            foreach (var edge in computation.SnapshotWaits())
            {
                if (certainOnly && !edge.Certain)
                {
                    continue;
                }

                var owner = edge.Flight.Owner;
                if (ReferenceEquals(owner, target))
                {
                    return true;
                }

                if (visited.Add(owner))
                {
                    pending.Push(owner);
                }
            }
        }

        return false;
    }
}
