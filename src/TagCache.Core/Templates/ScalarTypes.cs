using System.Collections.Frozen;
using System.Numerics;

namespace TagCache.Templates;

/// <summary>
/// Every type a key or tag writes as one value (enums and the nullable forms of these follow from them), and for each how
/// its text is made and when two values write the same text. The text formatter (<see cref="ValueFormatterFactory"/>)
/// and the lookup by argument values (<see cref="ArgumentEquality"/>) both read this one table, so they cannot drift apart;
/// <c>KeyEqualityPropertyTests</c> checks, pair by pair in several time zones, that they agree.
/// </summary>
internal static class ScalarTypes
{
    private static readonly FrozenDictionary<Type, ScalarType> Table = new ScalarType[]
    {
        new(typeof(string), Format: null, TextEquality.Ordinal),
        new(typeof(char), Format: null, TextEquality.ByEquals),
        new(typeof(bool), Format: null, TextEquality.ByEquals),
        new(typeof(byte), Format: null, TextEquality.ByEquals),
        new(typeof(sbyte), Format: null, TextEquality.ByEquals),
        new(typeof(short), Format: null, TextEquality.ByEquals),
        new(typeof(ushort), Format: null, TextEquality.ByEquals),
        new(typeof(int), Format: null, TextEquality.ByEquals),
        new(typeof(uint), Format: null, TextEquality.ByEquals),
        new(typeof(long), Format: null, TextEquality.ByEquals),
        new(typeof(ulong), Format: null, TextEquality.ByEquals),
        new(typeof(nint), Format: null, TextEquality.ByEquals),
        new(typeof(nuint), Format: null, TextEquality.ByEquals),
        new(typeof(Int128), Format: null, TextEquality.ByEquals),
        new(typeof(UInt128), Format: null, TextEquality.ByEquals),
        new(typeof(BigInteger), Format: null, TextEquality.ByEquals),

        // "R" round-trips binary floating point: the text is the value, but -0 and 0 differ and every NaN is "NaN".
        new(typeof(Half), "R", TextEquality.FloatingPoint),
        new(typeof(float), "R", TextEquality.FloatingPoint),
        new(typeof(double), "R", TextEquality.FloatingPoint),

        // The text keeps the scale (1.00), but not the sign of a zero.
        new(typeof(decimal), Format: null, TextEquality.Decimal),
        new(typeof(Guid), "D", TextEquality.ByEquals),

        // "O" writes the kind (and a local time's offset, which a repeated daylight-saving hour tells apart).
        new(typeof(DateTime), "O", TextEquality.DateTime),
        new(typeof(DateTimeOffset), "O", TextEquality.DateTimeOffset),
        new(typeof(DateOnly), "O", TextEquality.ByEquals),
        new(typeof(TimeOnly), "O", TextEquality.ByEquals),
        new(typeof(TimeSpan), "c", TextEquality.ByEquals),
    }.ToFrozenDictionary(t => t.Type);

    /// <summary>Gets every type in the table.</summary>
    public static IReadOnlyCollection<Type> All => Table.Keys;

    /// <summary>The row of <paramref name="type"/> (not its nullable form, nor an enum); null when it has none.</summary>
    public static ScalarType? Of(Type type) => Table.GetValueOrDefault(type);
}

/// <summary>How one type is written as a key or tag value, and when two values write the same text.</summary>
/// <param name="Type">The type.</param>
/// <param name="Format">The invariant-culture format string its <see cref="ISpanFormattable"/> text uses (null: the default).</param>
/// <param name="Equality">When two values write the same text.</param>
internal sealed record ScalarType(Type Type, string? Format, TextEquality Equality);

/// <summary>When two values of a type write the same text.</summary>
internal enum TextEquality
{
    /// <summary>Ordinal string equality.</summary>
    Ordinal,

    /// <summary>The type's own Equals.</summary>
    ByEquals,

    /// <summary>Equals, but -0 and 0 differ and every NaN is one value.</summary>
    FloatingPoint,

    /// <summary>Equals and the same scale (a zero's sign is not written).</summary>
    Decimal,

    /// <summary>The same ticks and kind, and for local times the same text (a repeated hour's offset).</summary>
    DateTime,

    /// <summary>The same ticks and offset.</summary>
    DateTimeOffset,
}
