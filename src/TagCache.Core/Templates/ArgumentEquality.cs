using System.Numerics;
using System.Runtime.CompilerServices;

namespace TagCache.Templates;

/// <summary>
/// Compares argument values exactly as the default key's text would: two values are equal when, and only when, the key
/// formatting writes them alike. So a lookup by the values themselves finds what a lookup by the formatted key finds.
/// </summary>
/// <remarks>
/// Only immutable types are compared by value: an array or list could change after the call, under a key that holds it.
/// The equalities that differ from the types' own <c>Equals</c> are the ones the text tells apart: <c>0.0</c> and
/// <c>-0.0</c> (written "0" and "-0"), <c>1.0m</c> and <c>1.00m</c> (but not <c>0.0m</c> and <c>-0.0m</c>), a <see cref="DateTime"/>'s kind and a
/// <see cref="DateTimeOffset"/>'s offset; every NaN is written "NaN", so NaNs are equal.
/// </remarks>
internal abstract class ArgumentEquality
{
    public abstract bool Equal(object? x, object? y);

    public abstract int Hash(object? value);

    /// <summary>The equality for values of <paramref name="type"/> (or its nullable form), or null if it has none.</summary>
    public static ArgumentEquality? TryCreate(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum)
        {
            return RuntimeFeature.IsDynamicCodeSupported ? Of(type, typeof(ByEquals<>).MakeGenericType(type)) : BoxedEquality.Instance;
        }

        return ScalarTypes.Of(type)?.Equality switch
        {
            null => null,
            TextEquality.Ordinal => StringEquality.Instance,

            // Native AOT makes no generic code at run time: the boxed values' own Equals, which these types' text agrees with.
            TextEquality.ByEquals => RuntimeFeature.IsDynamicCodeSupported ? Of(type, typeof(ByEquals<>).MakeGenericType(type)) : BoxedEquality.Instance,
            TextEquality.FloatingPoint => RuntimeFeature.IsDynamicCodeSupported ? Of(type, typeof(FloatingPoint<>).MakeGenericType(type)) : FloatingPointAheadOfTime(type),
            TextEquality.Decimal => new StructEquality<decimal, DecimalText>(),
            TextEquality.DateTime => new StructEquality<DateTime, DateTimeText>(),
            TextEquality.DateTimeOffset => new StructEquality<DateTimeOffset, DateTimeOffsetText>(),
            var other => throw new NotSupportedException($"No equality for {other}."),
        };
    }

    /// <summary>Gets a value indicating whether values of <paramref name="type"/> (or its nullable form) are equal by Equals exactly when their key text is.</summary>
    public static bool EqualsAgreesWithText(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsEnum || ScalarTypes.Of(type)?.Equality is TextEquality.Ordinal or TextEquality.ByEquals;
    }

    private static ArgumentEquality Of(Type type, Type comparison) =>
        (ArgumentEquality)Activator.CreateInstance(typeof(StructEquality<,>).MakeGenericType(type, comparison))!;

    private static ArgumentEquality FloatingPointAheadOfTime(Type type) =>
        type == typeof(double) ? new StructEquality<double, FloatingPoint<double>>()
        : type == typeof(float) ? new StructEquality<float, FloatingPoint<float>>()
        : new StructEquality<Half, FloatingPoint<Half>>();

    private sealed class BoxedEquality : ArgumentEquality
    {
        public static BoxedEquality Instance { get; } = new();

        public override bool Equal(object? x, object? y) => Equals(x, y);

        public override int Hash(object? value) => value?.GetHashCode() ?? 0;
    }

    private sealed class StringEquality : ArgumentEquality
    {
        public static StringEquality Instance { get; } = new();

        public override bool Equal(object? x, object? y) => string.Equals((string?)x, (string?)y, StringComparison.Ordinal);

        public override int Hash(object? value) => value is string text ? text.GetHashCode(StringComparison.Ordinal) : 0;
    }

    /// <summary>How two values of a struct compare; static, so the comparison is not a second virtual call.</summary>
    private interface IComparison<T>
    {
        static abstract bool Same(T x, T y);

        static abstract int HashOf(T value);
    }

    private sealed class StructEquality<T, TComparison> : ArgumentEquality
        where T : struct
        where TComparison : IComparison<T>
    {
        // A boxed nullable is the value or null, so null stands for a null nullable.
        public override bool Equal(object? x, object? y) => x is T a ? y is T b && TComparison.Same(a, b) : y is null;

        public override int Hash(object? value) => value is T typed ? TComparison.HashOf(typed) : 0;
    }

    private sealed class ByEquals<T> : IComparison<T>
        where T : struct
    {
        public static bool Same(T x, T y) => EqualityComparer<T>.Default.Equals(x, y);

        public static int HashOf(T value) => EqualityComparer<T>.Default.GetHashCode(value);
    }

    private sealed class FloatingPoint<T> : IComparison<T>
        where T : struct, IFloatingPointIeee754<T>
    {
        public static bool Same(T x, T y) => T.IsNaN(x) ? T.IsNaN(y) : x == y && T.IsNegative(x) == T.IsNegative(y);

        public static int HashOf(T value) => T.IsNaN(value) ? 0 : value.GetHashCode() ^ (T.IsNegative(value) ? 1 : 0);
    }

    private sealed class DecimalText : IComparison<decimal>
    {
        // The text keeps the scale ("1.00") but not the sign of a zero ("0.0" for -0.0m).
        public static bool Same(decimal x, decimal y) => x == y && x.Scale == y.Scale;

        public static int HashOf(decimal value) => HashCode.Combine(value, value.Scale);
    }

    private sealed class DateTimeText : IComparison<DateTime>
    {
        // "O" writes the wall-clock ticks and the kind: no suffix, "Z", or the local offset. Two local times with the same
        // ticks can still differ in offset: in the hour a daylight-saving change repeats (01:30 EDT and 01:30 EST), a
        // DateTime remembers which it is and "O" writes -04:00 or -05:00. So for local times the text itself decides.
        public static bool Same(DateTime x, DateTime y) =>
            x.Ticks == y.Ticks && x.Kind == y.Kind && (x.Kind != DateTimeKind.Local || SameRoundTripText(x, y));

        public static int HashOf(DateTime value) => value.Ticks.GetHashCode();
    }

    private static bool SameRoundTripText(DateTime x, DateTime y)
    {
        // The format the key writes dates with (ScalarTypes), so the comparison is the text's own.
        var format = ScalarTypes.Of(typeof(DateTime))!.Format;
        Span<char> a = stackalloc char[40];
        Span<char> b = stackalloc char[40];
        return x.TryFormat(a, out var na, format, System.Globalization.CultureInfo.InvariantCulture)
            & y.TryFormat(b, out var nb, format, System.Globalization.CultureInfo.InvariantCulture)
            && a[..na].SequenceEqual(b[..nb]);
    }

    private sealed class DateTimeOffsetText : IComparison<DateTimeOffset>
    {
        public static bool Same(DateTimeOffset x, DateTimeOffset y) => x.EqualsExact(y);

        public static int HashOf(DateTimeOffset value) => HashCode.Combine(value.Ticks, value.Offset);
    }
}
