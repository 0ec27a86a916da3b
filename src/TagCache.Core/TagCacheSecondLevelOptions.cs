using System.Text.Json;
using TagCache.SecondLevel;

namespace TagCache;

/// <summary>
/// How values are written to, and read from, the second level that every node shares (see
/// <see cref="TagCacheOptions.UseSecondLevel"/> and <c>UsePostgres(…, pg =&gt; pg.UseSecondLevel())</c>).
/// </summary>
public sealed class TagCacheSecondLevelOptions
{
    private TimeSpan _readTimeout = TimeSpan.FromSeconds(1);
    private TimeSpan _writeTimeout = TimeSpan.FromSeconds(1);
    private int _maximumValueBytes = 1024 * 1024;
    private int? _compressAboveBytes;
    private TimeSpan? _fleetLockTimeout;

    /// <summary>Gets or sets how long a read may take before the call goes on without it (counted as a fault).</summary>
    /// <value>The default value is one second.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = Positive(value, nameof(ReadTimeout));
    }

    /// <summary>
    /// Gets or sets how long a write may take; the computation's callers wait for it (so a node that reads right after
    /// finds the value) up to this long, then the write is abandoned (counted as a fault).
    /// </summary>
    /// <value>The default value is one second.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = Positive(value, nameof(WriteTimeout));
    }

    /// <summary>
    /// Gets or sets the largest value written, in bytes (after compression, with its stamp). A larger value is served from
    /// memory only and counted (<c>tagcache.l2.skipped</c>, reason <c>too_large</c>); the caller never sees an error.
    /// </summary>
    /// <value>The default value is 1 MiB.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public int MaximumValueBytes
    {
        get => _maximumValueBytes;
        set => _maximumValueBytes = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "MaximumValueBytes must be positive.");
    }

    /// <summary>Gets or sets the size in bytes above which a serialized value is compressed (Brotli); <see langword="null"/> never compresses.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int? CompressAboveBytes
    {
        get => _compressAboveBytes;
        set => _compressAboveBytes = value is null or >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "CompressAboveBytes cannot be negative.");
    }

    /// <summary>
    /// Gets or sets the System.Text.Json options of the default serializer. For trimming and Native AOT, give options whose
    /// <see cref="JsonSerializerOptions.TypeInfoResolver"/> is a source-generated <c>JsonSerializerContext</c> that knows
    /// every cached type.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="JsonSerializerOptions.Default"/>.</value>
    public JsonSerializerOptions? JsonOptions { get; set; }

    /// <summary>Gets or sets the serializer; <see langword="null"/> uses System.Text.Json with <see cref="JsonOptions"/>.</summary>
    public ITagCacheSerializer? Serializer { get; set; }

    /// <summary>
    /// Gets or sets how long a node waits for another node that computes the same key (fleet-wide single flight), before it
    /// computes on its own; after the wait it reads the value the other node wrote. Needs a store with locks (PostgreSQL:
    /// a session advisory lock per computation, held on a connection of its own).
    /// </summary>
    /// <value>The default value is <see langword="null"/>: each node computes on its own (single flight per node).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is zero or negative.</exception>
    public TimeSpan? FleetLockTimeout
    {
        get => _fleetLockTimeout;
        set => _fleetLockTimeout = value is { } timeout ? Positive(timeout, nameof(FleetLockTimeout)) : null;
    }

    /// <summary>Gets or sets what every key written starts with, so several applications can share one store.</summary>
    /// <value>The default value is <c>tagcache:</c>.</value>
    public string KeyPrefix { get; set; } = "tagcache:";

    /// <summary>The settings as the caches use them, fixed when the options are applied.</summary>
    internal SecondLevelSettings Resolve() =>
        new(ReadTimeout, WriteTimeout, MaximumValueBytes, CompressAboveBytes, Serializer ?? new JsonValueSerializer(JsonOptions ?? JsonSerializerOptions.Default), KeyPrefix ?? string.Empty, FleetLockTimeout);

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value), value, $"{name} must be positive.");
}
