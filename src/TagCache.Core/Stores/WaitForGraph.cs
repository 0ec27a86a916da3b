namespace TagCache.Stores;

/// <summary>
/// Cycle detection over the wait-for graph: computations are nodes, and a computation has an edge to every flight it
/// waits on (a nested computation it started, a flight it joined, several at once with <c>Task.WhenAll</c>).
/// </summary>
/// <remarks>
/// A wait is published before the graph is walked, so of several edges closing one cycle concurrently, the walk of the
/// last one published sees all the others: at least one waiter in every cycle fails, and none waits forever.
/// An edge made on a computation's own flow is certain. One made by code that merely shares its ambient context (work it
/// started with <c>Task.Run</c>, an async continuation) is only possible: the computation may never wait for that code.
/// A cycle of certain edges fails at once; a cycle that needs a possible edge is given <see cref="Grace"/> to resolve itself
/// (the computation finishes on its own) before it fails, so background work waiting on the computation that started it
/// is not mistaken for a deadlock.
/// </remarks>
internal static class WaitForGraph
{
    /// <summary>How long a wait that can only close a cycle through possible edges waits before it is reported.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Records that <paramref name="waiter"/> waits for <paramref name="flight"/>. Throws if the wait surely closes a
    /// cycle; returns true if it possibly does (the caller waits at most <see cref="Grace"/>, then asks <see cref="StillCloses"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The wait closes a cycle of certain waits.</exception>
    public static bool BeginWait(Computation waiter, Flight flight, string key)
    {
        var certain = waiter.IsOwnFlow;
        waiter.AddWait(flight, certain);
        if (certain && Reaches(flight.Owner, waiter, certainOnly: true))
        {
            waiter.EndWait(flight);
            throw CycleError(key);
        }

        return Reaches(flight.Owner, waiter, certainOnly: false);
    }

    /// <summary>Gets a value indicating whether the flight still (transitively) waits on the waiter, after the grace.</summary>
    public static bool StillCloses(Computation waiter, Flight flight) => Reaches(flight.Owner, waiter, certainOnly: false);

    public static InvalidOperationException CycleError(string key) =>
        new($"TagCache detected a cycle: computing the entry '{key}' requires that same entry (directly or through other cached calls), which would deadlock. " +
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
