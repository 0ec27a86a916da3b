using System.Diagnostics.CodeAnalysis;
using TagCache.Interception.Planning;
using TagCache.Stores;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

internal static class CacheLookup
{
    // Long enough for typical keys (target, method identity and a few arguments); longer keys fall back to a string.
    private const int StackKeyLength = 512;

    /// <summary>
    /// Looks the call's key up. With the built-in store the key is formatted into the stack and looked up as a span, so a
    /// hit allocates nothing; only a miss turns the key into a string. A hit is counted here; a miss is counted, with
    /// <paramref name="miss"/> as its reason, once the call knows whether it fell back. Other caches are asked through
    /// GetOrSet only, and count their own reads.
    /// </summary>
    /// <exception cref="InvalidCastException">The key holds a value another method stored, of another type.</exception>
    public static bool TryHit<TStored>(CachePlan plan, string method, object?[] arguments, out TStored value, [NotNullWhen(false)] out string? key, out Lookup miss)
    {
        if (plan.Local is not { } local)
        {
            value = default!;
            key = plan.Key.Format(arguments);
            miss = Lookup.Absent;
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

        miss = local.Look(span, out var stored);
        if (miss == Lookup.Hit)
        {
            value = stored is TStored typed ? typed
                : stored is null && default(TStored) is null ? default!
                : throw KeyTypes.StoredMismatch(span, stored, typeof(TStored), method);
            plan.Site!.Hit();
            key = null;
            return true;
        }

        value = default!;
        key ??= new string(span);
        return false;
    }
}
