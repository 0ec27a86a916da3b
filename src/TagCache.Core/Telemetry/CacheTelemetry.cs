using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace TagCache.Telemetry;

/// <summary>
/// The telemetry of one named cache: its call sites, its invalidations, its log messages and, when
/// <see cref="TagCacheOptions.TrackStatistics"/> is on, the counters behind <see cref="TagCacheProvider.GetCurrentStatistics"/>.
/// </summary>
internal sealed class CacheTelemetry
{
    private readonly ConcurrentDictionary<string, SiteTelemetry> _sites = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, object?>[][] _origins;
    private readonly int _maxRecordedTags;

    public CacheTelemetry(string cache, TagCacheInstruments instruments, TagCacheOptions options, ILogger logger)
    {
        Cache = cache;
        Instruments = instruments;
        Logger = SafeLogger.Of(logger);
        Statistics = options.TrackStatistics ? new CacheCounters() : null;
        IncludeSensitiveData = options.Telemetry.IncludeSensitiveData;

        // Tag values are built from argument values as keys are: recorded only where keys may be.
        _maxRecordedTags = IncludeSensitiveData ? options.Telemetry.MaxRecordedTags : 0;
        _origins = [.. Enum.GetValues<InvalidationOrigin>().Select(o => new KeyValuePair<string, object?>[]
        {
            new(TelemetryNames.CacheTag, cache),
            new(TelemetryNames.OriginTag, TelemetryValues.Of(o)),
        })];
        Direct = new SiteTelemetry(this, method: null);
    }

    public string Cache { get; }

    public TagCacheInstruments Instruments { get; }

    public ILogger Logger { get; }

    /// <summary>Gets the counters of the statistics snapshot; null when they are not tracked.</summary>
    public CacheCounters? Statistics { get; }

    /// <summary>Gets a value indicating whether keys and tag values may appear in messages, logs and traces.</summary>
    public bool IncludeSensitiveData { get; }

    /// <summary>Gets the site of direct calls of <see cref="ITagCache"/>, recorded without a method.</summary>
    public SiteTelemetry Direct { get; }

    /// <summary>Gets the site of an intercepted method (one per method, so the method tag stays bounded).</summary>
    public SiteTelemetry SiteOf(string? method) =>
        method is null ? Direct : _sites.TryGetValue(method, out var site) ? site : _sites.GetOrAdd(method, m => new SiteTelemetry(this, m));

    /// <summary>Starts the activity of an invalidation, if anyone listens.</summary>
    public InvalidationTrace StartInvalidation(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        var activity = Observers.Start(Instruments.Source, TelemetryNames.InvalidateActivity, out var previous);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryNames.CacheTag, Cache);
            activity.SetTag(TelemetryNames.OriginTag, TelemetryValues.Of(origin));
            activity.SetTag(TelemetryNames.TagCountTag, tags.Count);
            if (tags.Count <= _maxRecordedTags && tags.Count > 0)
            {
                activity.SetTag(TelemetryNames.TagsTag, tags.ToArray());
            }
        }

        return new InvalidationTrace(activity, previous);
    }

    /// <summary>Records an invalidation that has been applied.</summary>
    public void Invalidated(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        Statistics?.Invalidations.Add(tags.Count);
        Observers.Add(Instruments.Invalidations, tags.Count, _origins[(int)origin]);
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            var recorded = !IncludeSensitiveData ? TagCacheLog.HiddenTags
                : tags.Count <= _maxRecordedTags ? string.Join(", ", tags)
                : $"(more than {_maxRecordedTags}; see options.Telemetry.MaxRecordedTags)";
            Logger.TagsInvalidated(tags.Count, Cache, TelemetryValues.Of(origin), recorded);
        }
    }

    /// <summary>Logs a computed value that was returned but not stored.</summary>
    public void Discarded(SiteTelemetry site, object key, DiscardReason reason)
    {
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            Logger.ComputationDiscarded(
                site.Description,
                Cache,
                reason switch
                {
                    DiscardReason.Superseded => "a Set or Remove of its key returned while it ran",
                    DiscardReason.VersionsBehind => "this node has not heard from the shared tag versions within their staleness bound",
                    _ => "a tag it depends on was invalidated while it ran",
                },
                KeyText(key));
        }
    }

    /// <summary>Logs that every entry was invalidated because invalidations may have been missed.</summary>
    public void AllInvalidated(string reason) => Logger.AllInvalidated(Cache, reason);

    /// <summary>Logs a wait that would have closed a cycle of cached calls, and makes the error the caller gets.</summary>
    public InvalidOperationException Cycle(SiteTelemetry site, object key)
    {
        Logger.CycleDetected(site.Description, Cache, KeyText(key));
        return Stores.WaitForGraph.CycleError(site.Description, Cache, KeyText(key));
    }

    /// <summary>Logs a caller's wait that reached its hard timeout with no fallback, and makes the error the caller gets.</summary>
    public TimeoutException HardTimeout(SiteTelemetry site, object key, TimeSpan timeout)
    {
        var shown = Resilience.ResiliencePolicy.Show(timeout);
        Logger.HardTimeout(site.Description, Cache, shown, KeyText(key));
        return new TimeoutException(
            $"{site.Description} in cache '{Cache}' did not complete within its hard timeout of {shown}, and no fallback was available (fail-safe keeps the last good value of a key: FailSafeMaxDuration). " +
            "The computation goes on in the background and stores its value when it completes.");
    }

    /// <summary>Logs that a fallback answers for a computation that failed or is slow.</summary>
    public void FallbackServed(SiteTelemetry site, object key, FallbackReason reason, Exception? failure, TimeSpan age, TimeSpan throttle)
    {
        if (Logger.IsEnabled(LogLevel.Warning))
        {
            var why = reason == FallbackReason.Failed ? "failed" : "ran past its timeout (it goes on in the background)";
            Logger.FallbackServed(failure, site.Description, Cache, why, Resilience.ResiliencePolicy.Show(age), Resilience.ResiliencePolicy.Show(throttle), KeyText(key));
        }
    }

    /// <summary>Logs a background refresh that failed.</summary>
    public void RefreshFailed(SiteTelemetry site, object key, Exception failure) => Logger.RefreshFailed(failure, site.Description, Cache, KeyText(key));

    public TagCacheStatistics? Snapshot(long entries) =>
        Statistics is not { } counters ? null : new TagCacheStatistics(Cache)
        {
            Hits = counters.Hits.Sum(),
            MissesAbsent = counters.MissesAbsent.Sum(),
            MissesStale = counters.MissesStale.Sum(),
            MissesBypassed = counters.MissesBypassed.Sum(),
            ComputationsStored = counters.Stored.Sum(),
            ComputationsDiscarded = counters.Discarded.Sum(),
            ComputationsFailed = counters.Failed.Sum(),
            ComputationsCancelled = counters.Cancelled.Sum(),
            Joins = counters.Joins.Sum(),
            Invalidations = counters.Invalidations.Sum(),
            Faults = counters.Faults.Sum(),
            FallbacksFailed = counters.FallbacksFailed.Sum(),
            FallbacksTimedOut = counters.FallbacksTimedOut.Sum(),
            FallbacksThrottled = counters.FallbacksThrottled.Sum(),
            Refreshes = counters.Refreshes.Sum(),
            RefreshesFailed = counters.RefreshesFailed.Sum(),
            Hedges = counters.Hedges.Sum(),
            SecondLevelHits = counters.SecondLevelHits.Sum(),
            SecondLevelRejections = counters.SecondLevelRejections.Sum(),
            SecondLevelFaults = counters.SecondLevelFaults.Sum(),
            SecondLevelBytesWritten = counters.SecondLevelBytesWritten.Sum(),
            SecondLevelSkipped = counters.SecondLevelSkipped.Sum(),
            Entries = entries,
        };

    /// <summary>A key as messages, logs and traces may show it: itself with <see cref="IncludeSensitiveData"/>, else a note saying how to see it.</summary>
    public string KeyText(object key) => IncludeSensitiveData ? $"'{key}'" : TagCacheLog.HiddenKey;

    /// <inheritdoc cref="KeyText(object)"/>
    public string KeyText(ReadOnlySpan<char> key) => IncludeSensitiveData ? $"'{key}'" : TagCacheLog.HiddenKey;
}

/// <summary>An invalidation's activity (when someone listens), ended without letting a listener fail the invalidation.</summary>
internal readonly struct InvalidationTrace(Activity? activity, Activity? previous) : IDisposable
{
    public void Failed(Exception exception) => activity?.AddException(exception).SetStatus(ActivityStatusCode.Error);

    public void Dispose()
    {
        if (activity is not null)
        {
            Observers.Stop(activity, previous);
        }
    }
}
