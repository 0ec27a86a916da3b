namespace TagCache;

/// <summary>
/// What TagCache's traces and logs may contain. Keys are built from argument values, which can be personal data, so they
/// appear nowhere unless <see cref="IncludeKeys"/> is turned on for debugging.
/// </summary>
public sealed class TagCacheTelemetryOptions
{
    private int _maxRecordedTags = 10;

    /// <summary>
    /// Gets or sets a value indicating whether cache keys are added to <c>tagcache.compute</c> activities (as
    /// <c>tagcache.key</c>) and to log messages about a computation. For debugging: keys hold argument values.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool IncludeKeys { get; set; }

    /// <summary>
    /// Gets or sets the most tags an invalidation may have for them to be recorded on its <c>tagcache.invalidate</c> activity
    /// (as <c>tagcache.tags</c>) and in its Debug log message; larger invalidations record only their count. 0 records none.
    /// </summary>
    /// <value>The default value is 10.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxRecordedTags
    {
        get => _maxRecordedTags;
        set => _maxRecordedTags = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRecordedTags cannot be negative; 0 records no tags.");
    }
}
