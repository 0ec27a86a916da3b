using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// What the memory cache holds for a key whose value depends on tags: the value and its tag stamps (a value without
/// tags is stored bare). Expiry is the memory cache's
/// own (it runs on the injected clock), so a hit reads the clock once.
/// </summary>
internal sealed class CacheEntryBox(object? value, TagStamp[] stamps)
{
    public object? Value { get; } = value;

    public TagStamp[] Stamps { get; } = stamps;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool StampsAreCurrent() => AreCurrent(Stamps);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static bool AreCurrent(TagStamp[] stamps)
    {
        foreach (var stamp in stamps)
        {
            if (!stamp.IsCurrent)
            {
                return false;
            }
        }

        return true;
    }
}
