using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace TagCache.Examples.Web;

/// <summary>
/// TagCache's own counters for <c>/stats</c>, read from the <c>TagCache</c> meter with a <see cref="MeterListener"/>: what an
/// app without an OpenTelemetry backend can show. Only the meter the app's <see cref="IMeterFactory"/> made is heard.
/// </summary>
public sealed class TagCacheMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Method, string Value), long> _counts = new();
    private long _entries;

    /// <summary>Initializes a new instance of the <see cref="TagCacheMetrics"/> class, listening from now on.</summary>
    /// <param name="meters">The app's meter factory, which TagCache makes its meter with.</param>
    public TagCacheMetrics(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "TagCache" && ReferenceEquals(instrument.Meter.Scope, meters))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(Record);
        _listener.Start();
    }

    /// <summary>Reads the counters now.</summary>
    /// <returns>Hit ratio and misses by reason per method, invalidations by origin, computations by outcome, entries.</returns>
    public TagCacheCounters Read()
    {
        Interlocked.Exchange(ref _entries, 0);
        _listener.RecordObservableInstruments();
        var methods = _counts.Keys
            .Where(k => k.Instrument is "tagcache.requests" or "tagcache.miss_reason" or "tagcache.answered")
            .Select(k => k.Method)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .Select(method =>
            {
                var hits = Count("tagcache.requests", method, "hit");
                var reasons = Counts("tagcache.miss_reason", method);
                var misses = reasons.Values.Sum();
                return new MethodCounters(method, hits, misses, hits + misses == 0 ? 0 : (double)hits / (hits + misses), reasons, Counts("tagcache.answered", method));
            })
            .ToList();
        return new TagCacheCounters(
            methods,
            Counts("tagcache.invalidations", method: string.Empty),
            Counts("tagcache.computations"),
            _counts.Where(c => c.Key.Instrument == "tagcache.joins").Sum(c => c.Value),
            _counts.Where(c => c.Key.Instrument == "tagcache.faults").Sum(c => c.Value),
            Interlocked.Read(ref _entries));
    }

    /// <inheritdoc/>
    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Name == "tagcache.entries")
        {
            Interlocked.Add(ref _entries, value);
            return;
        }

        string method = string.Empty, result = string.Empty, reason = string.Empty, outcome = string.Empty, origin = string.Empty;
        foreach (var tag in tags)
        {
            var text = tag.Value as string ?? string.Empty;
            switch (tag.Key)
            {
                case "tagcache.method": method = text; break;
                case "tagcache.result": result = text; break;
                case "tagcache.miss_reason": reason = text; break;
                case "tagcache.outcome": outcome = text; break;
                case "tagcache.origin": origin = text; break;
            }
        }

        var key = instrument.Name switch
        {
            "tagcache.requests" when result == "hit" => (instrument.Name, method, "hit"),
            "tagcache.requests" when result == "miss" => ("tagcache.miss_reason", method, reason),

            // Neither a hit nor a miss: the second level answered (l2_hit), or a fallback did.
            "tagcache.requests" => ("tagcache.answered", method, result),
            "tagcache.computations" => (instrument.Name, string.Empty, outcome),
            "tagcache.invalidations" => (instrument.Name, string.Empty, origin),
            _ => (instrument.Name, method, string.Empty),
        };
        _counts.AddOrUpdate(key, value, (_, count) => count + value);
    }

    private long Count(string instrument, string method, string value) => _counts.GetValueOrDefault((instrument, method, value));

    private Dictionary<string, long> Counts(string instrument, string method = "") =>
        _counts.Where(c => c.Key.Instrument == instrument && c.Key.Method == method).ToDictionary(c => c.Key.Value, c => c.Value);
}

/// <summary>TagCache's counters since the app started.</summary>
/// <param name="Methods">Per cached method: hits, misses, hit ratio and misses by reason (absent, stale, bypassed).</param>
/// <param name="Invalidations">Tags invalidated, by origin (method, event, manual).</param>
/// <param name="Computations">Computations run on a miss, by outcome (stored, discarded, failed, cancelled).</param>
/// <param name="Joins">Callers served by another caller's computation.</param>
/// <param name="Faults">Failures of the cache that calls worked around.</param>
/// <param name="Entries">Entries held now.</param>
public sealed record TagCacheCounters(
    IReadOnlyList<MethodCounters> Methods,
    IReadOnlyDictionary<string, long> Invalidations,
    IReadOnlyDictionary<string, long> Computations,
    long Joins,
    long Faults,
    long Entries);

/// <summary>The reads of one cached method.</summary>
/// <param name="Method">The method, as <c>ICatalogService.GetProductAsync</c>.</param>
/// <param name="Hits">Reads answered from the cache.</param>
/// <param name="Misses">Reads that ran the method.</param>
/// <param name="HitRatio">Hits over reads.</param>
/// <param name="MissReasons">Misses by reason.</param>
/// <param name="AnsweredOtherwise">Reads that were neither: answered by the second level (<c>l2_hit</c>) or by a fallback (<c>fallback</c>).</param>
public sealed record MethodCounters(string Method, long Hits, long Misses, double HitRatio, IReadOnlyDictionary<string, long> MissReasons, IReadOnlyDictionary<string, long> AnsweredOtherwise);
