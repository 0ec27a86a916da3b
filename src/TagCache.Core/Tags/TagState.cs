namespace TagCache.Tags;

/// <summary>
/// The version of one tag. Entries and running computations hold it strongly; the name-to-state map holds it weakly,
/// so a state nobody holds can be reclaimed without ever revalidating an entry (stamps compare against this object).
/// </summary>
internal sealed class TagState
{
    // A state whose publication has not been confirmed reads as "bumped at the end of time": a computation that learns
    // the tag late must not trust it, because an invalidation may have looked the name up before the state was visible.
    private const long Unconfirmed = long.MaxValue;

    private long _version;
    private long _lastBumpSequence = Unconfirmed;

    public TagState(string name) => Name = name;

    public string Name { get; }

    public long Version => Volatile.Read(ref _version);

    /// <summary>Gets the invalidation sequence of the last bump (or of the state's creation, whichever is later).</summary>
    public long LastBumpSequence => Volatile.Read(ref _lastBumpSequence);

    /// <summary>Records that the state was visible to invalidations from <paramref name="sequence"/> on.</summary>
    public void ConfirmPublished(long sequence) => RaiseLastBump(sequence);

    /// <summary>
    /// Bumps the version. The sequence is recorded before the version moves, so a reader that sees the old version with
    /// an old sequence will see its stamp go stale once this returns.
    /// </summary>
    public void Bump(long sequence)
    {
        RaiseLastBump(sequence);
        Interlocked.Increment(ref _version);
    }

    private void RaiseLastBump(long sequence)
    {
        var observed = Volatile.Read(ref _lastBumpSequence);
        while (true)
        {
            var next = observed == Unconfirmed ? sequence : Math.Max(observed, sequence);
            if (next == observed)
            {
                return;
            }

            var previous = Interlocked.CompareExchange(ref _lastBumpSequence, next, observed);
            if (previous == observed)
            {
                return;
            }

            observed = previous;
        }
    }
}
