using System.Globalization;

namespace TagCache.Interception.Planning;

/// <summary>
/// Reads the resilience settings of a <see cref="CacheWithTagsAttribute"/> (numbers, where 0 inherits the cache's setting
/// and -1 turns it off) as <see cref="TagCacheResilienceOptions"/>, reporting every value out of range.
/// </summary>
internal static class ResilienceSettings
{
    /// <summary>The settings the attribute sets; null when it sets none.</summary>
    public static TagCacheResilienceOptions? Of(CacheWithTagsAttribute attribute, string label, Action<string> problem)
    {
        var layer = new TagCacheResilienceOptions
        {
            FailSafeMaxDuration = Seconds(attribute.FailSafeMaxDuration, nameof(attribute.FailSafeMaxDuration), TimeSpan.Zero, "turn an inherited fail-safe off"),
            FailSafeThrottleDuration = Seconds(attribute.FailSafeThrottleDuration, nameof(attribute.FailSafeThrottleDuration), off: null, offMeaning: null),
            FallbackAfterInvalidation = attribute.FallbackAfterInvalidation ? true : null,
            Hedge = attribute.Hedge ? true : null,
            SoftTimeout = Milliseconds(attribute.SoftTimeoutMilliseconds, nameof(attribute.SoftTimeoutMilliseconds)),
            HardTimeout = Milliseconds(attribute.HardTimeoutMilliseconds, nameof(attribute.HardTimeoutMilliseconds)),
            JitterMaxDuration = Seconds(attribute.JitterMaxDuration, nameof(attribute.JitterMaxDuration), TimeSpan.Zero, "turn an inherited jitter off"),
        };

        var threshold = attribute.EagerRefreshThreshold;
        if (threshold != 0)
        {
            if (threshold > 0 && threshold < 1)
            {
                layer.EagerRefreshThreshold = threshold;
            }
            else
            {
                problem($"{label} has EagerRefreshThreshold = {threshold.ToString(CultureInfo.InvariantCulture)}, but it is a fraction of the entry's lifetime: " +
                    "write a number between 0 and 1 (both excluded), e.g. 0.8 to refresh in the background from 80 % of the timeout on, or leave it 0 for the cache's setting.");
            }
        }

        return layer.IsEmpty ? null : layer;

        TimeSpan? Seconds(int value, string name, TimeSpan? off, string? offMeaning)
        {
            if (value > 0)
            {
                return TimeSpan.FromSeconds(value);
            }

            if (value == -1 && off is not null)
            {
                return off;
            }

            if (value != 0)
            {
                problem($"{label} has {name} = {value}, which is in seconds and cannot be negative. Write a positive number of seconds" +
                    (offMeaning is null ? string.Empty : $", -1 to {offMeaning}") + ", or 0 for the cache's setting.");
            }

            return null;
        }

        TimeSpan? Milliseconds(int value, string name)
        {
            if (value > 0)
            {
                return TimeSpan.FromMilliseconds(value);
            }

            if (value == -1)
            {
                return Timeout.InfiniteTimeSpan;
            }

            if (value != 0)
            {
                problem($"{label} has {name} = {value}, which is in milliseconds and cannot be negative. Write a positive number of milliseconds, " +
                    "-1 for no timeout, or 0 for the cache's setting.");
            }

            return null;
        }
    }
}
