using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using TagCache.Interception.Planning;
using TagCache.Scopes;
using TagCache.Stores;
using TagCache.Telemetry;

namespace TagCache.Interception.Handlers;

internal static class CacheLookup
{
    // Long enough for typical keys (target, method identity and a few arguments); longer keys fall back to a string.
    private const int StackKeyLength = 512;

    /// <summary>
    /// Looks the call's key up. With the built-in store a default key is looked up by the argument values themselves (a
    /// per-thread probe over the call's arguments) and a Key template is formatted into the stack and looked up as a span,
    /// so a hit allocates nothing; only a miss makes a key of its own. A hit is counted here; a miss is counted, with
    /// <paramref name="miss"/> as its reason, once the call knows whether it fell back. Other caches are asked through
    /// GetOrSet only, and count their own reads. On a miss the key to compute comes out: a string, or a
    /// <see cref="CallKey"/> for the built-in store. A hit that the store found due for its eager refresh
    /// (<paramref name="miss"/> is <see cref="Lookup.RefreshDue"/>) comes out with a key too, for the caller to start it.
    /// </summary>
    /// <exception cref="InvalidCastException">The key holds a value another method stored, of another type.</exception>
    public static bool TryHit<TStored>(CachePlan plan, string method, object?[] arguments, ScopeSnapshot? scope, out TStored value, [NotNullWhen(false)] out object? key, out Lookup miss)
    {
        var hit = TryHit(plan, method, arguments, scope, shareable: false, out value, out key, out miss, out object? _);
        Debug.Assert(hit || key is not null, "Without sharing, a miss always has a key.");
        return hit;
    }

    /// <summary>
    /// <see cref="TryHit{TStored}"/> for an asynchronous method: when <paramref name="shareable"/> and the call has nothing to
    /// cancel, a miss of a default key first looks for an answer another caller published on the key's running flight
    /// (<see cref="ILocalTagCache.JoinShared{TShared}"/>); found, it comes out as <paramref name="shared"/> and no key is made.
    /// </summary>
    public static bool TryHit<TStored, TShared>(CachePlan plan, string method, object?[] arguments, ScopeSnapshot? scope, bool shareable, out TStored value, out object? key, out Lookup miss, out TShared? shared)
        where TShared : class
    {
        shared = null;
        if (plan.Local is not { } local)
        {
            value = default!;
            key = scope is null ? plan.Key.Format(arguments) : plan.Key.Format(arguments) + scope.KeySuffix;
            miss = Lookup.Absent;
            return false;
        }

        if (plan.CallKeys is not { } shape)
        {
            // Only default keys share answers: a Key template may be shared by several methods, and one method's fallback
            // (running its own target uncached) is not another's answer.
            return TryHitFormatted(plan, local, method, arguments, scope, out value, out key, out miss);
        }

        var probe = CallKey.Probe(shape, arguments, scope);
        try
        {
            miss = local.Look(probe, out var found);
            if (miss.IsServed())
            {
                if (!KeyTypes.TryCast(found, out value))
                {
                    throw KeyTypes.StoredMismatch(plan.Site!.Owner.KeyText(probe), found, typeof(TStored), method);
                }

                Count(plan.Site!, miss);
                key = miss == Lookup.RefreshDue ? probe.Keep() : null;
                return true;
            }

            value = default!;
            shared = shareable && !plan.CallerToken(arguments).CanBeCanceled ? local.JoinShared<TShared>(probe) : null;
            key = shared is null ? probe.Keep() : null;
            return false;
        }
        finally
        {
            probe.Release();
        }
    }

    /// <summary>Counts a served read: the common hit without a second branch.</summary>
    private static void Count(SiteTelemetry site, Lookup served)
    {
        if (served == Lookup.Hit)
        {
            site.Hit();
        }
        else
        {
            site.Count(served);
        }
    }

    private static bool TryHitFormatted<TStored>(CachePlan plan, ILocalTagCache local, string method, object?[] arguments, ScopeSnapshot? scope, out TStored value, out object? key, out Lookup miss)
    {
        Span<char> buffer = stackalloc char[StackKeyLength];
        scoped ReadOnlySpan<char> span;
        string? text;
        var suffix = scope?.KeySuffix ?? string.Empty;
        if (plan.Key.TryFormat(buffer, arguments, result: null, out var written) && suffix.AsSpan().TryCopyTo(buffer[written..]))
        {
            span = buffer[..(written + suffix.Length)];
            text = null;
        }
        else
        {
            text = plan.Key.Format(arguments) + suffix;
            span = text;
        }

        miss = local.Look(span, out var stored);
        if (miss.IsServed())
        {
            if (!KeyTypes.TryCast(stored, out value))
            {
                throw KeyTypes.StoredMismatch(plan.Site!.Owner.KeyText(span), stored, typeof(TStored), method);
            }

            Count(plan.Site!, miss);
            key = miss == Lookup.RefreshDue ? text ?? new string(span) : null;
            return true;
        }

        value = default!;
        key = text ?? new string(span);
        return false;
    }
}
