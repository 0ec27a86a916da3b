using System.Runtime.CompilerServices;
using TagCache.Tags;

namespace TagCache.Stores;

/// <summary>
/// What the memory cache holds for a key whose value depends on tags: the value and its tag stamps (a value without
/// tags is stored bare). Expiry is the memory cache's own, except for short timeouts on the system's time, whose exact
/// deadline the box keeps (<see cref="StoreExpiry"/>).
/// </summary>
/// <remarks>
/// One tag is the common case, so its stamp lives in the box itself: 40 bytes instead of a box and a stamp array (64).
/// </remarks>
internal abstract class CacheEntryBox(object? value)
{
    public object? Value { get; } = value;

    /// <summary>Gets the stamps; for a one-tag entry a new array, so only read when a computation inherits them.</summary>
    public abstract TagStamp[] Stamps { get; }

    /// <summary>Gets a value indicating whether invalidations can make it stale, so it is not trusted while versions lag.</summary>
    public virtual bool DependsOnTags => true;

    /// <summary>Gets a value indicating whether its own deadline has passed; read only once it is no longer valid.</summary>
    public virtual bool HasExpired => false;

    /// <summary>Gets a value indicating whether a read that finds it stale leaves it in place (a fallback its policy allows after an invalidation).</summary>
    public virtual bool KeepWhenStale => false;

    /// <summary>Gets a value indicating whether the background reclaimer may free it: it may never be served again.</summary>
    public virtual bool Reclaimable => !StampsAreCurrent();

    public static CacheEntryBox For(object? value, TagStamp[] stamps) =>
        stamps.Length == 1 ? new OneTagEntryBox(value, stamps[0]) : new TagsEntryBox(value, stamps);

    /// <summary>What the memory cache holds for a value: bare without tags, boxed with them.</summary>
    public static object? Hold(object? value, TagStamp[] stamps) => stamps.Length == 0 ? value : For(value, stamps);

    /// <summary>Gets a value indicating whether the value may be served: every stamp current (and its deadline not passed).</summary>
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

/// <summary>A value with a short timeout on the system's time: its stamps, and a deadline on the exact clock.</summary>
internal sealed class DeadlineEntryBox(object? value, TagStamp[] stamps, long deadline, TimeProvider time) : CacheEntryBox(value)
{
    public override TagStamp[] Stamps => stamps;

    public override bool DependsOnTags => stamps.Length > 0;

    public override bool HasExpired => time.GetTimestamp() >= deadline;

    public override bool StampsAreCurrent() => !HasExpired && AreCurrent(stamps);
}
