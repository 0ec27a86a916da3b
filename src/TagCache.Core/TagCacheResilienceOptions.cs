using TagCache.Resilience;

namespace TagCache;

/// <summary>
/// How entries keep answering when their source is slow or failing: fail-safe (the last good value of a key answers for a
/// failed computation), soft and hard timeouts on computations, eager refresh before an entry expires, and jitter on expiry.
/// Unset values (<see langword="null"/>) inherit: an entry's or method's settings from its cache
/// (<see cref="NamedCacheOptions.Resilience"/>), a cache's from every cache's (<see cref="TagCacheOptions.Resilience"/>).
/// </summary>
/// <remarks>
/// A value that an invalidation declared stale is never a fallback unless <see cref="FallbackAfterInvalidation"/> is set:
/// fail-safe answers for an entry that merely expired. See docs/reliability.md for the timeline of each setting.
/// </remarks>
public sealed class TagCacheResilienceOptions
{
    /// <summary>
    /// Gets or sets how old the last good value of a key may be and still answer for a computation that failed (threw, or
    /// ran past <see cref="HardTimeout"/>), timed out softly, or is throttled; setting it turns fail-safe on. Entries are kept
    /// in memory this long after they are stored, whatever their timeout. It must be longer than the entry's timeout.
    /// </summary>
    /// <value>
    /// The default value is <see langword="null"/>: inherited (off unless a cache sets it). <see cref="TimeSpan.Zero"/> turns
    /// an inherited fail-safe off; <see cref="Timeout.InfiniteTimeSpan"/> keeps the last good value for as long as the cache does.
    /// </value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan? FailSafeMaxDuration
    {
        get;
        set => field = value is { } v ? ResilienceRules.ZeroOrMore(v, nameof(FailSafeMaxDuration), infiniteAllowed: true) : null;
    }

    /// <summary>
    /// Gets or sets how long a fallback keeps answering once served, without calling the source again; then the next read
    /// tries the source again. Never longer than <see cref="FailSafeMaxDuration"/> allows.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited, 30 seconds unless a cache sets it.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? FailSafeThrottleDuration
    {
        get;
        set => field = value is { } v ? ResilienceRules.Positive(v, nameof(FailSafeThrottleDuration)) : null;
    }

    /// <summary>
    /// Gets or sets a value indicating whether a value that an invalidation declared stale may still be a fallback (like
    /// FusionCache's <c>RemoveByTagBehavior.Expire</c>). Off, such a value is never served: a failed computation of an
    /// invalidated entry fails. On, it also covers a node whose shared tag versions are past their staleness bound, which may
    /// then serve a value invalidated on another node, up to <see cref="FailSafeMaxDuration"/> old.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited, off unless a cache sets it.</value>
    public bool? FallbackAfterInvalidation { get; set; }

    /// <summary>
    /// Gets or sets how long a caller waits for a computation when a fallback is available: past it, the caller gets the
    /// fallback at once and the computation finishes in the background, storing its value if no tag moved meanwhile.
    /// Needs fail-safe (<see cref="FailSafeMaxDuration"/>), which provides the fallback, or <see cref="Hedge"/>, and must be
    /// shorter than <see cref="HardTimeout"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited (none unless a cache sets it). <see cref="Timeout.InfiniteTimeSpan"/> means none.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan? SoftTimeout
    {
        get;
        set => field = value is { } v ? ResilienceRules.PositiveOrInfinite(v, nameof(SoftTimeout)) : null;
    }

    /// <summary>
    /// Gets or sets how long a caller waits for a computation at most: past it, the caller gets the fallback if there is one,
    /// else a <see cref="TimeoutException"/> naming the method; the computation finishes in the background either way.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited (none unless a cache sets it). <see cref="Timeout.InfiniteTimeSpan"/> means none.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan? HardTimeout
    {
        get;
        set => field = value is { } v ? ResilienceRules.PositiveOrInfinite(v, nameof(HardTimeout)) : null;
    }

    /// <summary>
    /// Gets or sets a value indicating whether a caller whose <see cref="SoftTimeout"/> passes with no fallback to answer
    /// (none kept, or an invalidation declared it stale) starts a second computation of the key, and answers with whichever
    /// ends first: a slow call of the source is often slow alone. Once per computation (a hedge is not hedged again); the slow
    /// computation's value is not stored, and it is cancelled once nobody waits for it.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited, off unless a cache sets it.</value>
    public bool? Hedge { get; set; }

    /// <summary>
    /// Gets or sets the fraction of an entry's lifetime after which a read starts one background refresh of it (shared with
    /// any caller that misses meanwhile), while the reader gets the current value at hit speed: 0.8 refreshes an hour-long
    /// entry from minute 48 on.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited (off unless a cache sets it). 0 turns an inherited threshold off.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 0 and not between 0 and 1 (both excluded).</exception>
    public double? EagerRefreshThreshold
    {
        get;
        set => field = value is { } v ? ResilienceRules.Fraction(v, nameof(EagerRefreshThreshold)) : null;
    }

    /// <summary>
    /// Gets or sets the most time added, at random, to each entry's timeout, so entries stored together do not expire (and
    /// reach their source) together.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: inherited (none unless a cache sets it). <see cref="TimeSpan.Zero"/> means none.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public TimeSpan? JitterMaxDuration
    {
        get;
        set => field = value is { } v ? ResilienceRules.ZeroOrMore(v, nameof(JitterMaxDuration), infiniteAllowed: false) : null;
    }

    /// <summary>Gets a value indicating whether any setting is set.</summary>
    internal bool IsEmpty =>
        FailSafeMaxDuration is null && FailSafeThrottleDuration is null && FallbackAfterInvalidation is null && SoftTimeout is null &&
        HardTimeout is null && EagerRefreshThreshold is null && JitterMaxDuration is null && Hedge is null;
}
