using System.Numerics;
using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

/// <summary>
/// The writers Native AOT uses, held against the formatters the JIT uses: every type the key table accepts (and its
/// nullable form, and enums) must have one, and it must write the same text, in keys and in tags, escaped or not.
/// </summary>
[TestClass]
public sealed class AheadOfTimeWritersTests
{
    private enum Shelf
    {
        Tea = 1,
        Coffee = 7,
    }

    public static IEnumerable<object[]> Values =>
    [
        ["plain|text"], ['|'], [true], [(byte)7], [(sbyte)-7], [(short)-300], [(ushort)300], [-42], [42u], [-42L], [42UL],
        [(nint)(-5)], [(nuint)5], [Int128.MaxValue], [UInt128.MaxValue], [BigInteger.Pow(10, 30)], [(Half)1.5], [-0.0f],
        [double.NaN], [-0.0], [1.25], [1.00m], [Guid.Parse("8a3c7d1e-0000-4000-8000-000000000001")],
        [new DateTime(2026, 12, 6, 1, 2, 3, DateTimeKind.Utc)], [new DateTimeOffset(2026, 12, 6, 1, 2, 3, TimeSpan.FromHours(2))],
        [new DateOnly(2026, 12, 6)], [new TimeOnly(1, 2, 3)], [TimeSpan.FromMinutes(90)], [Shelf.Coffee], [(Shelf)3],
    ];

    [TestMethod]
    public void TryCreate_EveryScalarType_HasAWriter()
    {
        var missing = ScalarTypes.All
            .SelectMany(t => t.IsValueType ? new[] { t, typeof(Nullable<>).MakeGenericType(t) } : [t])
            .Where(t => AheadOfTimeWriters.TryCreate(t, TemplateKind.Key, escaper: null) is null)
            .ToList();

        Assert.IsEmpty(missing, "no ahead-of-time writer for: " + string.Join(", ", missing));
    }

    [TestMethod]
    [DynamicData(nameof(Values))]
    public void TryWriteBoxed_SameValueAsTheJitFormatter_SameText(object value)
    {
        foreach (var kind in new[] { TemplateKind.Key, TemplateKind.Tag })
        {
            var escaper = kind == TemplateKind.Key ? new ValueEscaper("|") : null;
            var type = value.GetType();
            var jit = (ValueWriter)ValueFormatterFactory.TryCreate(type, kind, escaper)!;
            var aot = AheadOfTimeWriters.TryCreate(type, kind, escaper)!;
            var nullableAot = type.IsValueType ? AheadOfTimeWriters.TryCreate(typeof(Nullable<>).MakeGenericType(type), kind, escaper)! : aot;

            Assert.AreEqual(Write(jit, value), Write(aot, value), $"{type} as a {kind}");
            Assert.AreEqual(Write(jit, value), Write(nullableAot, value), $"{type}? as a {kind}");
            Assert.AreEqual(Write(jit, null), Write(nullableAot, null), $"null {type}? as a {kind}");
        }
    }

    private static string Write(ValueWriter writer, object? value)
    {
        Span<char> buffer = stackalloc char[256];
        Assert.IsTrue(writer.TryWriteBoxed(value, buffer, out var written));
        return new string(buffer[..written]);
    }
}
