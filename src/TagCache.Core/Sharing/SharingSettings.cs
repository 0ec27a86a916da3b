namespace TagCache.Sharing;

/// <summary>How a node follows its engine's log; each engine's public options make one (the same names, one meaning).</summary>
/// <param name="MaxStaleness">The staleness bound: a node serves hits only if a catch-up that reached the head began within it.</param>
/// <param name="PollInterval">How often the node reads the log when no wake-up came.</param>
/// <param name="Retention">How long the log keeps a row.</param>
/// <param name="PruneInterval">How often the node tries to delete rows past retention.</param>
/// <param name="MaxReconnectDelay">The longest wait between two attempts to listen again.</param>
/// <param name="BatchSize">How many rows one catch-up read takes.</param>
internal sealed record SharingSettings(TimeSpan MaxStaleness, TimeSpan PollInterval, TimeSpan Retention, TimeSpan PruneInterval, TimeSpan MaxReconnectDelay, int BatchSize);
