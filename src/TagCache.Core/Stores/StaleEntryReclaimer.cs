using Microsoft.Extensions.Caching.Memory;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>
/// Frees the memory of entries that invalidations made stale, off the caller's path: invalidation stays O(tags) and a tag
/// carried by a million entries releases them within one reclaim interval. (Sweeping is what domain events do; this only
/// returns memory.)
/// </summary>
internal sealed class StaleEntryReclaimer : IDisposable
{
    private readonly MemoryCache _memory;
    private readonly CacheTelemetry _telemetry;
    private readonly ITimer _timer;
    private int _pending;

    public StaleEntryReclaimer(MemoryCache memory, TimeSpan interval, TimeProvider time, CacheTelemetry telemetry)
    {
        _memory = memory;
        _telemetry = telemetry;
        _timer = time.CreateTimer(static state => ((StaleEntryReclaimer)state!).ReclaimIfPending(), this, interval, interval);
    }

    public void NoteInvalidation() => Volatile.Write(ref _pending, 1);

    /// <summary>Removes every stale entry; returns how many. Expired entries are the memory cache's own scan's job.</summary>
    public int Reclaim()
    {
        var removed = 0;
        foreach (var key in _memory.Keys)
        {
            if (_memory.TryGetValue(key, out var stored) && stored is CacheEntryBox { Reclaimable: true })
            {
                _memory.Remove(key);
                removed++;
            }
        }

        return removed;
    }

    public void Dispose() => _timer.Dispose();

    private void ReclaimIfPending()
    {
        if (Interlocked.Exchange(ref _pending, 0) == 0)
        {
            return;
        }

        try
        {
            _telemetry.Logger.StaleEntriesReclaimed(Reclaim(), _telemetry.Cache);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // A timer callback has no caller to report to; the next invalidation schedules another attempt.
            _telemetry.Logger.ReclaimFailed(exception, _telemetry.Cache);
        }
    }
}
