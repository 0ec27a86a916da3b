namespace TagCache.Tags;

/// <summary>A tag's version as seen when a computation started; the entry is valid while the version is unchanged.</summary>
internal readonly struct TagStamp(TagState state, long version)
{
    public TagState State { get; } = state;

    public long Version { get; } = version;

    public bool IsCurrent
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        get => State.Version == Version;
    }

    public static TagStamp Take(TagState state) => new(state, state.Version);
}
