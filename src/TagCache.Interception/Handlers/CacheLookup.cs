using System.Diagnostics.CodeAnalysis;
using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

internal static class CacheLookup
{
    // Long enough for typical keys (method identity plus a few arguments); longer keys fall back to a string.
    private const int StackKeyLength = 512;

    /// <summary>
    /// Looks the call's key up. With the built-in store the key is formatted into the stack and looked up as a span,
    /// so a hit allocates nothing; only a miss turns the key into a string.
    /// </summary>
    /// <param name="plan">The method's cache plan.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="value">The stored value on a hit.</param>
    /// <param name="key">The key on a miss, to compute and store under.</param>
    /// <returns><see langword="true"/> on a hit.</returns>
    public static bool TryHit(CachePlan plan, object?[] arguments, out object? value, [NotNullWhen(false)] out string? key)
    {
        if (plan.Store is not { } store)
        {
            // Other caches are used through the public contract only; GetOrSet does the lookup.
            value = null;
            key = plan.Key.Format(arguments);
            return false;
        }

        Span<char> buffer = stackalloc char[StackKeyLength];
        scoped ReadOnlySpan<char> span;
        if (plan.Key.TryFormat(buffer, arguments, result: null, out var written))
        {
            span = buffer[..written];
            key = null;
        }
        else
        {
            key = plan.Key.Format(arguments);
            span = key;
        }

        if (store.TryGetStored(span, out value))
        {
            key = null;
            return true;
        }

        value = null;
        key ??= new string(span);
        return false;
    }
}
