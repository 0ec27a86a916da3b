namespace TagCache;

/// <summary>
/// Caches the method's result, stamped with the given tags. Tags are templates: <c>{id}</c> a parameter,
/// <c>{product.CategoryId}</c> a member of one, <c>{result.CategoryId}</c> a member of the result.
/// </summary>
/// <param name="tags">Tag templates; each formatted value becomes one tag of the entry.</param>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class CacheWithTagsAttribute(params string[] tags) : Attribute
{
    /// <summary>Gets the tag templates.</summary>
    public IReadOnlyList<string> Tags { get; } = tags ?? [];

    /// <summary>Gets or sets how long the entry lives, in seconds.</summary>
    /// <value>The default value is 0: the cache's default timeout. Negative values are rejected when the container is built.</value>
    public int Timeout { get; set; }

    /// <summary>Gets or sets a key template replacing the default key (method identity and every argument).</summary>
    /// <value>The default value is <see langword="null"/>: the default key.</value>
    public string? Key { get; set; }

    /// <summary>
    /// Gets or sets how old, in seconds, the last good value of a key may be and still answer when a computation fails or
    /// times out (fail-safe; see <see cref="TagCacheResilienceOptions.FailSafeMaxDuration"/>). It must be longer than the timeout.
    /// </summary>
    /// <value>The default value is 0: the cache's setting. -1 turns an inherited fail-safe off.</value>
    public int FailSafeMaxDuration { get; set; }

    /// <summary>Gets or sets how long, in seconds, a fallback answers once served, without calling the method again (<see cref="TagCacheResilienceOptions.FailSafeThrottleDuration"/>).</summary>
    /// <value>The default value is 0: the cache's setting (30 seconds unless set).</value>
    public int FailSafeThrottleDuration { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a value that an invalidation declared stale may still answer as a fallback
    /// (<see cref="TagCacheResilienceOptions.FallbackAfterInvalidation"/>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the cache's setting (off unless set).</value>
    public bool FallbackAfterInvalidation { get; set; }

    /// <summary>
    /// Gets or sets how long, in milliseconds, a caller waits for the method when a fallback is available; then it gets the
    /// fallback and the call finishes in the background (<see cref="TagCacheResilienceOptions.SoftTimeout"/>). Needs fail-safe.
    /// </summary>
    /// <value>The default value is 0: the cache's setting. -1 means none.</value>
    public int SoftTimeoutMilliseconds { get; set; }

    /// <summary>
    /// Gets or sets how long, in milliseconds, a caller waits for the method at most; then it gets the fallback, or a
    /// <see cref="TimeoutException"/>, and the call finishes in the background (<see cref="TagCacheResilienceOptions.HardTimeout"/>).
    /// </summary>
    /// <value>The default value is 0: the cache's setting. -1 means none.</value>
    public int HardTimeoutMilliseconds { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a caller whose soft timeout passes with no fallback to answer starts a second
    /// call of the method and answers with whichever ends first (<see cref="TagCacheResilienceOptions.Hedge"/>).
    /// </summary>
    /// <value>The default value is <see langword="false"/>: the cache's setting (off unless set).</value>
    public bool Hedge { get; set; }

    /// <summary>
    /// Gets or sets the fraction of the entry's lifetime after which a call starts one background refresh, answering with the
    /// current value meanwhile (<see cref="TagCacheResilienceOptions.EagerRefreshThreshold"/>), e.g. 0.8.
    /// </summary>
    /// <value>The default value is 0: the cache's setting. Other values must lie between 0 and 1 (both excluded).</value>
    public double EagerRefreshThreshold { get; set; }

    /// <summary>Gets or sets the most time, in seconds, added at random to the entry's timeout (<see cref="TagCacheResilienceOptions.JitterMaxDuration"/>).</summary>
    /// <value>The default value is 0: the cache's setting. -1 turns an inherited jitter off.</value>
    public int JitterMaxDuration { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether the method's values are shared through its cache's second level, when it has
    /// one (<see cref="TagCacheOptions.UseSecondLevel"/>); <see langword="false"/> keeps them in each node's memory only (for
    /// values that cannot be serialized, or are cheaper to compute than to fetch). With it on, the result type must be
    /// serializable: the container build checks it.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SecondLevel { get; set; } = true;

    /// <summary>Gets or sets the name of the cache to use.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="TagCacheOptions.DefaultCacheName"/>.</value>
    public string? Cache { get; set; }
}
