namespace TagCache;

/// <summary>
/// What TagCache's exception messages, logs and traces may contain. Keys are built from argument values and tags often
/// are, and either can be personal data (an e-mail address, a customer number), so by default neither appears anywhere:
/// messages name the method and the cache instead. <see cref="IncludeSensitiveData"/> turns them on, for debugging.
/// </summary>
public sealed class TagCacheTelemetryOptions
{
    private int _maxRecordedTags = 10;

    /// <summary>
    /// Gets or sets a value indicating whether keys and tag values may appear in exception messages (a cycle, a disposed
    /// cache, a refused deferred sequence, a key holding another type), in log messages (a discarded computation, a cycle,
    /// an invalidation's tags) and in traces (<c>tagcache.key</c> on <c>tagcache.compute</c>, <c>tagcache.tags</c> on
    /// <c>tagcache.invalidate</c>). For debugging: both are built from argument values, which can be personal data.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: messages, logs and traces hold no key and no tag value.</value>
    public bool IncludeSensitiveData { get; set; }

    /// <summary>Gets or sets <see cref="IncludeSensitiveData"/> under its former name.</summary>
    /// <value>The same value as <see cref="IncludeSensitiveData"/>.</value>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public bool IncludeKeys
    {
        get => IncludeSensitiveData;
        set => IncludeSensitiveData = value;
    }

    /// <summary>
    /// Gets or sets the most tags an invalidation may have for them to be recorded on its <c>tagcache.invalidate</c> activity
    /// (as <c>tagcache.tags</c>) and in its Debug log message, when <see cref="IncludeSensitiveData"/> is on; larger
    /// invalidations record only their count. 0 records none.
    /// </summary>
    /// <value>The default value is 10.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRecordedTags
    {
        get => _maxRecordedTags;
        set => _maxRecordedTags = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRecordedTags cannot be negative; 0 records no tags.");
    }
}
