namespace TagCache.Stores;

/// <summary>Errors for a key used for values of two types (two methods sharing a Key template, or a manual key reused).</summary>
/// <remarks>Keys reach these messages only as <see cref="Telemetry.CacheTelemetry.KeyText(object)"/> shows them: hidden unless sensitive data is on.</remarks>
internal static class KeyTypes
{
    public const string Advice = "Use distinct keys for values of different types.";

    /// <summary>
    /// Reads a stored value as <typeparamref name="T"/>: true for a value of that type, and for a stored null read as a
    /// reference or nullable type; false (anything else) is a key holding another type.
    /// </summary>
    public static bool TryCast<T>(object? stored, out T value)
    {
        if (stored is T typed)
        {
            value = typed;
            return true;
        }

        value = default!;
        return stored is null && default(T) is null;
    }

    /// <summary>Reads a stored value as <typeparamref name="T"/> (see <see cref="TryCast{T}"/>), or throws naming the key.</summary>
    /// <param name="stored">What the cache holds.</param>
    /// <param name="keyText">Makes the key's text as messages may show it; called only to throw.</param>
    /// <param name="key">The key.</param>
    public static T Cast<T>(object? stored, Func<object, string> keyText, object key) =>
        TryCast(stored, out T value) ? value : throw StoredMismatch(keyText(key), stored, typeof(T), requester: null);

    /// <param name="key">The key as messages may show it.</param>
    /// <param name="stored">What the cache holds.</param>
    /// <param name="requested">The type asked for.</param>
    /// <param name="requester">The method that asked, or null for a direct call.</param>
    public static InvalidCastException StoredMismatch(string key, object? stored, Type requested, string? requester) =>
        new($"The key {key} holds {Describe(stored)} but {Requested(requester, requested)}. {AdviceFor(requester)}");

    /// <param name="key">The key as messages may show it.</param>
    /// <param name="computing">The type its running computation produces.</param>
    /// <param name="requested">The type asked for.</param>
    public static InvalidCastException FlightMismatch(string key, Type computing, Type requested) =>
        new($"The key {key} is being computed as {computing} but was requested as {requested}. {Advice}");

    private static string Describe(object? stored) => stored is null ? "null" : "a value of type " + stored.GetType();

    private static string Requested(string? requester, Type requested) =>
        requester is null ? $"was requested as {requested}" : $"{requester} returns {requested}";

    private static string AdviceFor(string? requester) =>
        requester is null ? Advice : "Two methods (or a method and a manual call) share this key: give them different Key templates.";
}
