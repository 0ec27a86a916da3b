namespace TagCache.Stores;

/// <summary>
/// The built-in in-process store's entry points beyond <see cref="ITagCache"/>, for the interceptor: a lookup by a key it
/// formatted on the stack (so a hit allocates nothing), and a synchronous read-through whose factory receives the flight's
/// own token (so one caller's cancellation never cancels a computation others wait for). Any other <see cref="ITagCache"/>
/// is used through its public contract.
/// </summary>
internal interface ILocalTagCache
{
    /// <summary>Gets the stored value if the key holds one whose tags are all current.</summary>
    bool TryGetStored(ReadOnlySpan<char> key, out object? value);

    /// <summary><see cref="ITagCache.GetOrSet{T}"/>, with the flight's token for the factory and the caller's token for its wait.</summary>
    T GetOrSet<T>(string key, Func<CancellationToken, T> factory, TagCacheEntryOptions? options, CancellationToken cancellationToken);
}
