using System.Runtime.CompilerServices;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// What the memory cache holds for a key whose value depends on tags: the value and its tag stamps (a value without
/// tags is stored bare). Expiry is the memory cache's own (it runs on the injected clock), so a hit reads the clock once.
/// </summary>
/// <remarks>
/// One tag is the common case, so its stamp lives in the box itself: 40 bytes instead of a box and a stamp array (64).
/// </remarks>
internal abstract class CacheEntryBox(object? value)
{
    public object? Value { get; } = value;

    /// <summary>Gets the stamps; for a one-tag entry a new array, so only read when a computation inherits them.</summary>
    public abstract TagStamp[] Stamps { get; }

    public static CacheEntryBox For(object? value, TagStamp[] stamps) =>
        stamps.Length == 1 ? new OneTagEntryBox(value, stamps[0]) : new TagsEntryBox(value, stamps);

    public abstract bool StampsAreCurrent();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

/// <summary>A value that depends on one tag: the stamp's state and version inline.</summary>
internal sealed class OneTagEntryBox(object? value, TagStamp stamp) : CacheEntryBox(value)
{
    private readonly TagState _state = stamp.State;
    private readonly long _version = stamp.Version;

    public override TagStamp[] Stamps => [new TagStamp(_state, _version)];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool StampsAreCurrent() => _state.Version == _version;
}

/// <summary>A value that depends on several tags.</summary>
internal sealed class TagsEntryBox(object? value, TagStamp[] stamps) : CacheEntryBox(value)
{
    private readonly TagStamp[] _stamps = stamps;

    public override TagStamp[] Stamps => _stamps;

    public override bool StampsAreCurrent() => AreCurrent(_stamps);
}
