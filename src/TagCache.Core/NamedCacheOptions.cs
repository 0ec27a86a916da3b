namespace TagCache;

/// <summary>Settings of one named cache; unset values fall back to <see cref="TagCacheOptions"/>.</summary>
public sealed class NamedCacheOptions
{
    private TimeSpan? _defaultTimeout;
    private long? _sizeLimit;

    /// <summary>Gets or sets how long this cache's entries live when the call says nothing; <see cref="Timeout.InfiniteTimeSpan"/> means never.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="TagCacheOptions.DefaultTimeout"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative (other than <see cref="Timeout.InfiniteTimeSpan"/>).</exception>
    public TimeSpan? DefaultTimeout
    {
        get => _defaultTimeout;
        set => _defaultTimeout = value is { } v ? Stores.Timeouts.Valid(v, nameof(DefaultTimeout)) : null;
    }

    /// <summary>Gets or sets the most entries this cache holds.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="TagCacheOptions.SizeLimit"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public long? SizeLimit
    {
        get => _sizeLimit;
        set => _sizeLimit = value is <= 0 ? throw new ArgumentOutOfRangeException(nameof(value), value, "SizeLimit must be positive.") : value;
    }

    /// <summary>
    /// Gets what this cache's entries vary by besides the arguments (state of the caller's scope), or that they are shared
    /// across scopes; when declared, it replaces <see cref="TagCacheOptions.Scope"/> for this cache.
    /// </summary>
    public TagCacheScopeOptions Scope { get; } = new();

    /// <summary>Gets how this cache's entries keep answering when a source is slow or failing; what it sets replaces <see cref="TagCacheOptions.Resilience"/>.</summary>
    public TagCacheResilienceOptions Resilience { get; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether this cache uses the second level configured for every cache
    /// (<see cref="TagCacheOptions.UseSecondLevel"/>); <see langword="false"/> keeps its values in each node's memory only.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool SecondLevel { get; set; } = true;
}
