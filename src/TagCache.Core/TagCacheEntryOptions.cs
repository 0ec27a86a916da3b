using TagCache.Resilience;

namespace TagCache;

/// <summary>How one entry is stored: its tags and its lifetime.</summary>
public sealed class TagCacheEntryOptions
{
    private TimeSpan? _timeout;
    private TagCacheResilienceOptions? _resilience;

    /// <summary>Gets or sets the tags the entry carries.</summary>
    /// <value>The default value is no tags.</value>
    public IReadOnlyCollection<string> Tags { get; set; } = [];

    /// <summary>
    /// Gets or sets how long the entry lives after it is stored. <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>, or a
    /// timeout too long to date (such as <see cref="TimeSpan.MaxValue"/>), means the entry never expires.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: the cache's <see cref="TagCacheOptions.DefaultTimeout"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="System.Threading.Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan? Timeout
    {
        get => _timeout;
        set => _timeout = value is { } timeout ? Stores.Timeouts.Valid(timeout, nameof(Timeout)) : null;
    }

    /// <summary>
    /// Gets or sets a function that derives further tags from the computed value (for example its category).
    /// Used by <see cref="ITagCache.GetOrSet{T}"/> and <see cref="ITagCache.GetOrSetAsync{T}"/>; these tags are
    /// checked against invalidations since the computation started, like tags added with <see cref="CacheTags.Append"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no tags from the result.</value>
    public Func<object?, IEnumerable<string>>? ResultTags { get; set; }

    /// <summary>
    /// Gets how the entry keeps answering when its source is slow or failing (fail-safe, timeouts, eager refresh, jitter);
    /// what it sets replaces the cache's <see cref="NamedCacheOptions.Resilience"/> for this call. Used by
    /// <see cref="ITagCache.GetOrSet{T}"/> and <see cref="ITagCache.GetOrSetAsync{T}"/>; <see cref="ITagCache.Set{T}"/> keeps the
    /// value for fail-safe and applies the jitter.
    /// </summary>
    public TagCacheResilienceOptions Resilience => _resilience ??= new();

    /// <summary>Gets the settings <see cref="Resilience"/> holds, without making them; null when never read.</summary>
    internal TagCacheResilienceOptions? ResilienceIfSet => _resilience;

    /// <summary>Gets or sets the settings resolved already (the interceptor's, per method); null resolves <see cref="Resilience"/> over the cache's.</summary>
    internal ResiliencePolicy? Policy { get; set; }

    /// <summary>
    /// Gets or sets what answered the call, when it was a fallback; set by the built-in store for the interceptor, whose
    /// options are its own per call, so it counts the request once, at its end.
    /// </summary>
    internal Telemetry.FallbackReason? Served { get; set; }

    /// <summary>Gets or sets a value indicating whether the call was answered from the second level; set like <see cref="Served"/>.</summary>
    internal bool FromSecondLevel { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether this entry is read from and written to the cache's second level, when it has
    /// one (<see cref="TagCacheOptions.UseSecondLevel"/>); <see langword="false"/> keeps it in this node's memory only.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SecondLevel { get; set; } = true;

    /// <summary>
    /// Gets or sets the intercepted method's call site in the built-in cache that is asked; set only by the interceptor,
    /// which has counted the read itself (with the miss reason its own lookup found).
    /// </summary>
    internal Telemetry.SiteTelemetry? Site { get; set; }

    /// <summary>Gets or sets the intercepted method, for a cache the interceptor could not look up itself; telemetry tags computations with it.</summary>
    internal string? Method { get; set; }
}
