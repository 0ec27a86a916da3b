namespace TagCache.SecondLevel;

/// <summary>The second level's settings, resolved once (see <see cref="TagCacheSecondLevelOptions"/>).</summary>
internal sealed record SecondLevelSettings(TimeSpan ReadTimeout, TimeSpan WriteTimeout, int MaximumValueBytes, int? CompressAboveBytes, ITagCacheSerializer Serializer, string KeyPrefix, TimeSpan? FleetLockTimeout = null);

/// <summary>What <see cref="TagCacheOptions.UseSecondLevel"/> (or an engine's package) configured: where values go, and how.</summary>
internal sealed record SecondLevelRegistration(Func<Microsoft.Extensions.Logging.ILoggerFactory, ISecondLevelStore> Store, SecondLevelSettings Settings);
