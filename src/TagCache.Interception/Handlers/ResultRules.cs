using TagCache.Stores;

namespace TagCache.Interception.Handlers;

/// <summary>What a cached method may return: a value, not a query that runs again on every read of the cached value.</summary>
internal static class ResultRules
{
    /// <exception cref="InvalidOperationException">The result is a deferred sequence.</exception>
    public static void ThrowIfDeferred<T>(T result, string method)
    {
        if (DeferredSequences.IsDeferred(result))
        {
            throw new InvalidOperationException($"{method} returned {DeferredSequences.Describe(result!)}. TagCache did not cache it.");
        }
    }

    /// <summary>A key clash found while joining a flight, named after the method that asked.</summary>
    public static InvalidCastException NamingMethod(InvalidCastException clash, string method) =>
        new($"{method}: {clash.Message} Two methods (or a method and a manual call) share this key: give them different Key templates.", clash);
}
