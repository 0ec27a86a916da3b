namespace TagCache.Sharing;

/// <summary>How a node follows its engine's log; each engine's public options make one (the same names, one meaning).</summary>
/// <param name="MaxStaleness">The staleness bound: a node serves hits only if a catch-up that reached the head began within it.</param>
/// <param name="PollInterval">How often the node reads the log when no wake-up came.</param>
/// <param name="Retention">How long the log keeps a row.</param>
/// <param name="PruneInterval">How often the node tries to delete rows past retention.</param>
/// <param name="MaxReconnectDelay">The longest wait between two attempts to listen again.</param>
/// <param name="BatchSize">How many rows one catch-up read takes.</param>
internal sealed record SharingSettings(TimeSpan MaxStaleness, TimeSpan PollInterval, TimeSpan Retention, TimeSpan PruneInterval, TimeSpan MaxReconnectDelay, int BatchSize)
{
    /// <summary>Lists the problems of settings that are each valid alone but not together, with their fixes.</summary>
    public IEnumerable<string> FindProblems()
    {
        if (MaxStaleness < PollInterval * 2)
        {
            yield return $"MaxStaleness ({MaxStaleness}) must be at least twice PollInterval ({PollInterval}), or a healthy node would stop serving hits between two polls. " +
                "Raise MaxStaleness or lower PollInterval.";
        }

        if (Retention <= MaxStaleness)
        {
            yield return $"Retention ({Retention}) must be longer than MaxStaleness ({MaxStaleness}), or rows would be deleted before a healthy node is sure to have read them. " +
                "Raise Retention.";
        }
    }

    /// <summary>The check of every duration setting: positive, or an exception naming it.</summary>
    public static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");

    /// <summary>The check of <see cref="BatchSize"/>.</summary>
    public static int PositiveCount(int value, string name) =>
        value > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
}
