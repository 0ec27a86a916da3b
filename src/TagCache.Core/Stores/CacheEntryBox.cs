using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// What the memory cache holds for one key: the value and the tag stamps it depends on. Expiry is the memory cache's
/// own (it runs on the injected clock), so a hit reads the clock once.
/// </summary>
internal sealed class CacheEntryBox(object? value, TagStamp[] stamps)
{
    public object? Value { get; } = value;

    public TagStamp[] Stamps { get; } = stamps;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
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
