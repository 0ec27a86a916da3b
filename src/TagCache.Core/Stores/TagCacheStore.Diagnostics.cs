using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>What tests, statistics and diagnostics read of the store: flights running, entries held.</summary>
internal sealed partial class TagCacheStore
{
    /// <summary>Gets the number of keys being computed right now; for tests of the single-flight bookkeeping.</summary>
    internal int FlightCount => _flights.Count;

    /// <summary>Describes the flights running now and what each computation waits on, for diagnosing a wait that never ends.</summary>
    internal string DescribeFlights() =>
        string.Join(Environment.NewLine, _flights.Values.Select(f =>
            $"{f.Key} (completed {f.Completion.IsCompleted}) waits on [{string.Join(", ", f.Owner.SnapshotWaits().Select(w => (w.Certain ? "certain " : "possible ") + w.Flight.Key + (w.Flight.Completion.IsCompleted ? " (completed)" : string.Empty)))}]"));

    /// <summary>Gets the statistics snapshot; null when they are not tracked.</summary>
    internal TagCacheStatistics? GetCurrentStatistics() => Telemetry.Snapshot(TryCountEntries(out var entries) ? entries : 0);

    /// <summary>Counts the entries held, fresh or stale; false once the cache is disposed.</summary>
    internal bool TryCountEntries(out long entries)
    {
        entries = 0;
        if (Volatile.Read(ref _disposed) == 1)
        {
            return false;
        }

        try
        {
            entries = _memory.Count;
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
