using System.Numerics;

namespace TagCache.Templates;

/// <summary>
/// How values are written where no generic type can be made at run time (Native AOT): each scalar type's formatter is
/// named here, so it is compiled ahead of time; an enum is written from its boxed value; a nullable value by its
/// underlying type's writer (a boxed nullable is the value or null). Collections have no writer there.
/// </summary>
internal static class AheadOfTimeWriters
{
    public static ValueWriter? TryCreate(Type type, TemplateKind kind, ValueEscaper? escaper)
    {
        if (ValueFormatterFactory.TextFormatter(type, escaper) is { } text)
        {
            return text;
        }

        if (type.IsEnum)
        {
            return new BoxedEnumWriter(type, kind == TemplateKind.Key ? "D" : "G", escaper);
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TryCreate(underlying, kind, escaper);
        }

        return ScalarTypes.Of(type) is { } scalar ? Scalar(type, scalar.Format, escaper) : null;
    }

    private static ValueWriter? Scalar(Type type, string? format, ValueEscaper? escaper) => type switch
    {
        _ when type == typeof(byte) => new SpanFormattableFormatter<byte>(format, escaper),
        _ when type == typeof(sbyte) => new SpanFormattableFormatter<sbyte>(format, escaper),
        _ when type == typeof(short) => new SpanFormattableFormatter<short>(format, escaper),
        _ when type == typeof(ushort) => new SpanFormattableFormatter<ushort>(format, escaper),
        _ when type == typeof(int) => new SpanFormattableFormatter<int>(format, escaper),
        _ when type == typeof(uint) => new SpanFormattableFormatter<uint>(format, escaper),
        _ when type == typeof(long) => new SpanFormattableFormatter<long>(format, escaper),
        _ when type == typeof(ulong) => new SpanFormattableFormatter<ulong>(format, escaper),
        _ when type == typeof(nint) => new SpanFormattableFormatter<nint>(format, escaper),
        _ when type == typeof(nuint) => new SpanFormattableFormatter<nuint>(format, escaper),
        _ when type == typeof(Int128) => new SpanFormattableFormatter<Int128>(format, escaper),
        _ when type == typeof(UInt128) => new SpanFormattableFormatter<UInt128>(format, escaper),
        _ when type == typeof(BigInteger) => new SpanFormattableFormatter<BigInteger>(format, escaper),
        _ when type == typeof(Half) => new SpanFormattableFormatter<Half>(format, escaper),
        _ when type == typeof(float) => new SpanFormattableFormatter<float>(format, escaper),
        _ when type == typeof(double) => new SpanFormattableFormatter<double>(format, escaper),
        _ when type == typeof(decimal) => new SpanFormattableFormatter<decimal>(format, escaper),
        _ when type == typeof(Guid) => new SpanFormattableFormatter<Guid>(format, escaper),
        _ when type == typeof(DateTime) => new SpanFormattableFormatter<DateTime>(format, escaper),
        _ when type == typeof(DateTimeOffset) => new SpanFormattableFormatter<DateTimeOffset>(format, escaper),
        _ when type == typeof(DateOnly) => new SpanFormattableFormatter<DateOnly>(format, escaper),
        _ when type == typeof(TimeOnly) => new SpanFormattableFormatter<TimeOnly>(format, escaper),
        _ when type == typeof(TimeSpan) => new SpanFormattableFormatter<TimeSpan>(format, escaper),
        _ => null,
    };
}
