using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>What the memory cache holds for one key: the value, when it expires and the tag stamps it depends on.</summary>
internal sealed class CacheEntryBox(object? value, TagStamp[] stamps, long expiresAt)
{
    public object? Value { get; } = value;

    public TagStamp[] Stamps { get; } = stamps;

    /// <summary>Gets the <see cref="TimeProvider"/> timestamp at which the entry expires.</summary>
    public long ExpiresAt { get; } = expiresAt;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool IsValidAt(long timestamp)
    {
        if (timestamp >= ExpiresAt)
        {
            return false;
        }

        return StampsAreCurrent();
    }

    public bool StampsAreCurrent()
    {
        foreach (var stamp in Stamps)
        {
            if (!stamp.IsCurrent)
            {
                return false;
            }
        }

        return true;
    }
}
