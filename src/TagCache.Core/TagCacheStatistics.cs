namespace TagCache;

/// <summary>
/// What one cache did since it was made: the counterpart of <c>MemoryCache.GetCurrentStatistics()</c>, for applications
/// without OpenTelemetry. Read it with <see cref="TagCacheProvider.GetCurrentStatistics"/>; counting is turned on by
/// <see cref="TagCacheOptions.TrackStatistics"/>.
/// </summary>
public sealed class TagCacheStatistics
{
    internal TagCacheStatistics(string cache)
    {
        Cache = cache;
    }

    /// <summary>Gets the cache's name.</summary>
    public string Cache { get; }

    /// <summary>Gets the reads answered from the cache.</summary>
    public long Hits { get; internal init; }

    /// <summary>Gets the reads that found no entry (never stored, expired or evicted).</summary>
    public long MissesAbsent { get; internal init; }

    /// <summary>Gets the reads that found an entry one of whose tags had been invalidated.</summary>
    public long MissesStale { get; internal init; }

    /// <summary>Gets the reads that did not ask the cache because it could not be trusted or had failed.</summary>
    public long MissesBypassed { get; internal init; }

    /// <summary>Gets all misses.</summary>
    public long Misses => MissesAbsent + MissesStale + MissesBypassed;

    /// <summary>Gets the share of reads that were hits, from 0 to 1; 0 before the first read.</summary>
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <summary>Gets the computations whose value was stored.</summary>
    public long ComputationsStored { get; internal init; }

    /// <summary>Gets the computations whose value was returned but not stored, because a tag moved (or a write superseded it) while they ran.</summary>
    public long ComputationsDiscarded { get; internal init; }

    /// <summary>Gets the computations that failed.</summary>
    public long ComputationsFailed { get; internal init; }

    /// <summary>Gets the computations that were cancelled.</summary>
    public long ComputationsCancelled { get; internal init; }

    /// <summary>Gets the callers served by another caller's computation of the same key (the stampede saved).</summary>
    public long Joins { get; internal init; }

    /// <summary>Gets the tags invalidated.</summary>
    public long Invalidations { get; internal init; }

    /// <summary>Gets the faults of the cache that calls worked around (answering uncached).</summary>
    public long Faults { get; internal init; }

    /// <summary>Gets the requests answered with a fallback because their computation failed (threw, or ran past its hard timeout).</summary>
    public long FallbacksFailed { get; internal init; }

    /// <summary>Gets the requests answered with a fallback because their wait reached its soft or hard timeout.</summary>
    public long FallbacksTimedOut { get; internal init; }

    /// <summary>Gets the requests answered with a fallback that keeps answering for its throttle period, without calling the source.</summary>
    public long FallbacksThrottled { get; internal init; }

    /// <summary>Gets all requests answered with a fallback (these are counted neither as hits nor as misses).</summary>
    public long Fallbacks => FallbacksFailed + FallbacksTimedOut + FallbacksThrottled;

    /// <summary>Gets the background refreshes (eager refresh) that ended, whatever their outcome; also counted among the computations.</summary>
    public long Refreshes { get; internal init; }

    /// <summary>Gets the background refreshes that failed; the value they were refreshing kept answering.</summary>
    public long RefreshesFailed { get; internal init; }

    /// <summary>Gets the slow computations that a second computation of their key replaced (<see cref="TagCacheResilienceOptions.Hedge"/>).</summary>
    public long Hedges { get; internal init; }

    /// <summary>
    /// Gets the requests answered by a value another computation (on this or another node) wrote to the second level, after
    /// a miss of the first; counted neither as hits nor as misses.
    /// </summary>
    public long SecondLevelHits { get; internal init; }

    /// <summary>Gets the values found in the second level that were refused (invalidated since their computation started, too old to judge, another log's, the wrong type, expired, or the node behind its log).</summary>
    public long SecondLevelRejections { get; internal init; }

    /// <summary>Gets the second-level reads and writes that failed, timed out or found unreadable bytes; the calls went on with the first level only.</summary>
    public long SecondLevelFaults { get; internal init; }

    /// <summary>Gets the bytes written to the second level.</summary>
    public long SecondLevelBytesWritten { get; internal init; }

    /// <summary>Gets the values not written to the second level because they were larger than its limit or could not be serialized.</summary>
    public long SecondLevelSkipped { get; internal init; }

    /// <summary>Gets the entries held now, fresh or stale.</summary>
    public long Entries { get; internal init; }
}
