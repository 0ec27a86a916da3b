using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace TagCache.Telemetry;

/// <summary>
/// Where reads of one cache come from: an intercepted method, or direct calls of <see cref="ITagCache"/>. It holds every
/// tag list it records with, built once, so recording allocates nothing, and with no listener costs one branch.
/// </summary>
internal sealed class SiteTelemetry
{
    private readonly Counter<long> _requests;
    private readonly CacheCounters? _statistics;
    private readonly KeyValuePair<string, object?>[] _hit;
    private readonly KeyValuePair<string, object?>[] _secondLevelHit;
    private readonly KeyValuePair<string, object?>[] _absent;
    private readonly KeyValuePair<string, object?>[] _stale;
    private readonly KeyValuePair<string, object?>[] _bypassed;
    private readonly KeyValuePair<string, object?>[][] _fallbacks;
    private readonly KeyValuePair<string, object?>[][] _outcomes;
    private readonly KeyValuePair<string, object?>[] _site;

    /// <param name="owner">The cache's telemetry.</param>
    /// <param name="method">The intercepted method as <c>IService.Method</c>; <see langword="null"/> for direct calls.</param>
    public SiteTelemetry(CacheTelemetry owner, string? method)
    {
        Owner = owner;
        Method = method;
        _requests = owner.Instruments.Requests;
        _statistics = owner.Statistics;
        _site = Tags();
        _hit = Tags((TelemetryNames.ResultTag, "hit"));
        _secondLevelHit = Tags((TelemetryNames.ResultTag, "l2_hit"));
        _absent = Miss(Lookup.Absent);
        _stale = Miss(Lookup.Stale);
        _bypassed = Miss(Lookup.Bypassed);
        _fallbacks = [.. Enum.GetValues<FallbackReason>().Select(r => Tags((TelemetryNames.ResultTag, "fallback"), (TelemetryNames.FallbackReasonTag, TelemetryValues.Of(r))))];
        _outcomes = [.. Enum.GetValues<ComputationOutcome>().Select(o => Tags((TelemetryNames.OutcomeTag, TelemetryValues.Of(o))))];
    }

    public CacheTelemetry Owner { get; }

    public string? Method { get; }

    /// <summary>Gets the site as messages name it.</summary>
    public string Description => Method ?? "a direct call";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Hit()
    {
        _statistics?.Hits.Add(1);
        if (_requests.Enabled)
        {
            Observers.Add(_requests, 1, _hit);
        }
    }

    public void Count(Lookup lookup)
    {
        if (lookup is Lookup.Hit or Lookup.RefreshDue)
        {
            Hit();
            return;
        }

        if (lookup == Lookup.Fallback)
        {
            Fallback(FallbackReason.Throttled);
            return;
        }

        _statistics?.Count(lookup);
        if (_requests.Enabled)
        {
            Observers.Add(_requests, 1, lookup switch
            {
                Lookup.Absent => _absent,
                Lookup.Stale => _stale,
                _ => _bypassed,
            });
        }
    }

    /// <summary>Counts a request answered with a fallback, once, in place of its hit or miss.</summary>
    public void Fallback(FallbackReason reason)
    {
        _statistics?.Count(reason);
        if (_requests.Enabled)
        {
            Observers.Add(_requests, 1, _fallbacks[(int)reason]);
        }
    }

    /// <summary>
    /// Counts a request: a miss answered by a fallback counts as the fallback, one answered from the second level as an
    /// <c>l2_hit</c>, anything else by its lookup.
    /// </summary>
    public void Count(Lookup lookup, FallbackReason? served, bool fromSecondLevel = false)
    {
        if (served is { } reason)
        {
            Fallback(reason);
        }
        else if (fromSecondLevel)
        {
            _statistics?.SecondLevelHits.Add(1);
            if (_requests.Enabled)
            {
                Observers.Add(_requests, 1, _secondLevelHit);
            }
        }
        else
        {
            Count(lookup);
        }
    }

    /// <summary>Counts a slow computation left for a second one (a hedge).</summary>
    public void Hedged()
    {
        _statistics?.Hedges.Add(1);
        Observers.Add(Owner.Instruments.Hedges, 1, _site);
    }

    /// <summary>Counts a caller served by another caller's computation.</summary>
    public void Joined()
    {
        _statistics?.Joins.Add(1);
        Observers.Add(Owner.Instruments.Joins, 1, _site);
    }

    /// <summary>Counts a fault of the cache that the call worked around.</summary>
    public void Fault()
    {
        _statistics?.Faults.Add(1);
        Observers.Add(Owner.Instruments.Faults, 1, _site);
    }

    /// <summary>Starts timing a computation, and its activity if anyone listens; it becomes the parent of what the factory does.</summary>
    public ComputationScope StartComputation(object key)
    {
        var activity = Observers.Start(Owner.Instruments.Source, TelemetryNames.ComputeActivity, out var previous);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryNames.CacheTag, Owner.Cache);
            if (Method is not null)
            {
                activity.SetTag(TelemetryNames.MethodTag, Method);
            }

            if (Owner.IncludeSensitiveData)
            {
                activity.SetTag(TelemetryNames.KeyTag, key.ToString());
            }
        }

        return new ComputationScope(Stopwatch.GetTimestamp(), activity, previous);
    }

    /// <summary>Records how a computation ended; never throws, since it runs while its flight completes.</summary>
    /// <param name="scope">What <see cref="StartComputation"/> returned.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="joins">How many other callers joined it.</param>
    /// <param name="failure">The exception, for a failed or cancelled computation.</param>
    /// <param name="refresh">Whether it was a background refresh, counted as such too.</param>
    /// <param name="timedOut">The longest timeout a caller's wait for it reached, if any, recorded on its span.</param>
    public void EndComputation(ComputationScope scope, ComputationOutcome outcome, int joins, Exception? failure, bool refresh = false, TimeoutKind? timedOut = null)
    {
        _statistics?.Count(outcome);
        var instruments = Owner.Instruments;
        Observers.Add(instruments.Computations, 1, _outcomes[(int)outcome]);
        if (refresh)
        {
            _statistics?.Refreshes.Add(1);
            if (outcome == ComputationOutcome.Failed)
            {
                _statistics?.RefreshesFailed.Add(1);
            }

            Observers.Add(instruments.Refreshes, 1, _outcomes[(int)outcome]);
        }

        if (instruments.ComputationDuration.Enabled)
        {
            Observers.Record(instruments.ComputationDuration, Stopwatch.GetElapsedTime(scope.Started).TotalSeconds, _site);
        }

        if (scope.Activity is { } activity)
        {
            activity.SetTag(TelemetryNames.OutcomeTag, TelemetryValues.Of(outcome));
            activity.SetTag(TelemetryNames.JoinsTag, joins);
            if (timedOut is { } kind)
            {
                activity.SetTag(TelemetryNames.TimeoutTag, TelemetryValues.Of(kind));
            }

            if (outcome == ComputationOutcome.Failed)
            {
                activity.SetStatus(ActivityStatusCode.Error, failure?.GetType().FullName);
            }

            Observers.Stop(activity, scope.Previous);
        }
    }

    private KeyValuePair<string, object?>[] Miss(Lookup reason) =>
        Tags((TelemetryNames.ResultTag, "miss"), (TelemetryNames.MissReasonTag, TelemetryValues.Of(reason)));

    /// <summary>The cache and method tags, followed by <paramref name="more"/>.</summary>
    private KeyValuePair<string, object?>[] Tags(params (string Name, string Value)[] more)
    {
        var tags = new List<KeyValuePair<string, object?>> { new(TelemetryNames.CacheTag, Owner.Cache) };
        if (Method is not null)
        {
            tags.Add(new(TelemetryNames.MethodTag, Method));
        }

        tags.AddRange(more.Select(t => new KeyValuePair<string, object?>(t.Name, t.Value)));
        return [.. tags];
    }
}

/// <summary>A computation being timed (and traced, when someone listens), and the activity that was current before it.</summary>
internal readonly record struct ComputationScope(long Started, Activity? Activity, Activity? Previous);
