using System.Numerics;
using System.Reflection;
using TagCache.Stores;
using TagCache.Templates;

namespace TagCache.Core.Tests.Stores;

/// <summary>
/// A <see cref="CallKey"/> must find exactly what the formatted default key finds: every pair of inputs below is run
/// through both, and the two must agree on "same key" (and equal keys must hash alike).
/// </summary>
[TestClass]
public sealed class CallKeyTests
{
    private const string Target = "Shop.Target";

    private static readonly double NegativeNaN = BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0000));
    private static readonly double PayloadNaN = BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001);
    private static readonly DateTime Moment = new(2024, 3, 4, 5, 6, 7, DateTimeKind.Unspecified);

    public static IEnumerable<object[]> Corpora =>
    [
        [typeof(int), new object?[] { 0, 1, -1, int.MaxValue, int.MinValue }],
        [typeof(int?), new object?[] { null, 0, 1 }],
        [typeof(long), new object?[] { 0L, 1L, -1L, long.MaxValue, 1L << 40 }],
        [typeof(short), new object?[] { (short)0, (short)-1, short.MaxValue }],
        [typeof(byte), new object?[] { (byte)0, (byte)255 }],
        [typeof(uint), new object?[] { 0u, uint.MaxValue }],
        [typeof(ulong), new object?[] { 0ul, ulong.MaxValue }],
        [typeof(nint), new object?[] { (nint)0, (nint)(-1), nint.MaxValue }],
        [typeof(Int128), new object?[] { Int128.Zero, Int128.MaxValue, Int128.MinValue }],
        [typeof(BigInteger), new object?[] { BigInteger.Zero, BigInteger.One, BigInteger.Pow(10, 40), -BigInteger.Pow(10, 40) }],
        [typeof(bool), new object?[] { true, false }],
        [typeof(bool?), new object?[] { true, false, null }],
        [typeof(char), new object?[] { 'a', 'A', '|', '\\', '\u2205', '\0' }],
        [typeof(string), new object?[] { null, string.Empty, "\u2205", "a", "A", "a|b", "a\\|b", "a\\", "e\u0301", "\u00e9", " " }],
        [typeof(Guid), new object?[] { Guid.Empty, new Guid("0f8fad5b-d9cb-469f-a165-70867728950e"), new Guid("0F8FAD5B-D9CB-469F-A165-70867728950F") }],
        [typeof(Guid?), new object?[] { null, Guid.Empty }],
        [typeof(DayOfWeek), new object?[] { DayOfWeek.Sunday, DayOfWeek.Monday, (DayOfWeek)8, (DayOfWeek)(-1) }],
        [typeof(FileAttributes), new object?[] { FileAttributes.ReadOnly, FileAttributes.ReadOnly | FileAttributes.Hidden, (FileAttributes)0 }],
        [typeof(double), new object?[] { 0.0, -0.0, 1.5, 0.1, 0.1 + 0.2, 0.3, double.NaN, NegativeNaN, PayloadNaN, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, double.MaxValue }],
        [typeof(double?), new object?[] { null, 0.0, -0.0 }],
        [typeof(float), new object?[] { 0f, -0f, 1.5f, 0.1f, float.NaN, -float.NaN, float.PositiveInfinity, float.Epsilon }],
        [typeof(Half), new object?[] { (Half)0, -(Half)0, (Half)1.5, Half.NaN, Half.PositiveInfinity }],
        [typeof(decimal), new object?[] { 0m, 0.0m, new decimal(0, 0, 0, true, 0), new decimal(0, 0, 0, true, 1), 1m, 1.0m, 1.00m, -1m, 0.1m, decimal.MaxValue, decimal.MinValue }],
        [typeof(DateTime), new object?[] { Moment, DateTime.SpecifyKind(Moment, DateTimeKind.Utc), DateTime.SpecifyKind(Moment, DateTimeKind.Local), Moment.AddTicks(1), DateTime.MinValue, DateTime.MaxValue }],
        [typeof(DateTimeOffset), new object?[] { new DateTimeOffset(Moment, TimeSpan.Zero), new DateTimeOffset(Moment.AddHours(1), TimeSpan.FromHours(1)), new DateTimeOffset(Moment, TimeSpan.FromHours(1)), new DateTimeOffset(Moment.AddTicks(1), TimeSpan.Zero) }],
        [typeof(TimeSpan), new object?[] { TimeSpan.Zero, TimeSpan.FromTicks(1), TimeSpan.FromTicks(-1), TimeSpan.FromDays(1), TimeSpan.MaxValue }],
        [typeof(DateOnly), new object?[] { DateOnly.MinValue, new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 5) }],
        [typeof(TimeOnly), new object?[] { TimeOnly.MinValue, new TimeOnly(5, 6, 7), new TimeOnly(5, 6, 7).Add(TimeSpan.FromTicks(1)) }],
    ];

    [TestMethod]
    [DynamicData(nameof(Corpora))]
    public void Equals_EveryPairOfValues_AgreesWithFormattedKey(Type type, object?[] values)
    {
        var method = typeof(Single<>).MakeGenericType(type).GetMethod("Get")!;
        AssertAgree(method, [.. values.Select(v => new[] { v })]);
    }

    [TestMethod]
    public void Equals_SeparatorsEmptyNullAndMarkerAcrossTwoStrings_AgreeWithFormattedKey()
    {
        // The collision cases of DefaultKeyTests: a separator inside a value, and empty, null and the null marker.
        object?[][] calls =
        [
            ["1|x", "y"], ["1", "x|y"], [string.Empty, string.Empty], [null, string.Empty], [string.Empty, null],
            ["\u2205", string.Empty], [null, null], ["a\\", "|b"], ["a", "\\|b"], ["a", "b"],
        ];

        AssertAgree(typeof(Shelf).GetMethod(nameof(Shelf.Pair))!, calls);
    }

    [TestMethod]
    public void Equals_MixedArguments_AgreeWithFormattedKey()
    {
        object?[][] calls = [[1, "EUR", 3], [1, "EUR", 4], [1, "EUR|3", 3], [13, "EUR", 3], [1, null, 3], [1, "\u2205", 3], [1, "EUR", 3]];

        AssertAgree(typeof(Shelf).GetMethod(nameof(Shelf.Price))!, calls);
    }

    [TestMethod]
    public void Equals_CancellationToken_IsNotPartOfKey()
    {
        var method = typeof(Shelf).GetMethod(nameof(Shelf.Load))!;
        using var source = new CancellationTokenSource();

        var kept = Kept(method, Target, [5, CancellationToken.None]);

        Assert.AreEqual(kept, CallKey.Probe(Shape(method, Target), [5, source.Token]));
        Assert.AreNotEqual(kept, CallKey.Probe(Shape(method, Target), [6, CancellationToken.None]));
    }

    [TestMethod]
    public void Equals_SameValuesOfOtherMethodsOrTargets_AreDifferentKeys()
    {
        var byInt = Kept(typeof(Shelf).GetMethod(nameof(Shelf.Find), [typeof(int)])!, Target, [1]);
        var byLong = Kept(typeof(Shelf).GetMethod(nameof(Shelf.Find), [typeof(long)])!, Target, [1L]);
        var otherTarget = Kept(typeof(Shelf).GetMethod(nameof(Shelf.Find), [typeof(int)])!, "Shop.Other", [1]);
        var otherMethod = Kept(typeof(Single<int>).GetMethod("Get")!, Target, [1]);

        object[] keys = [byInt, byLong, otherTarget, otherMethod];

        Assert.AreEqual(keys.Length, keys.Distinct().Count(), string.Join(" ", keys));
    }

    [TestMethod]
    public void Equals_SameKeyTextFromTwoPlans_IsOneKey()
    {
        // Two plans of one method and target (two interceptors over one cache, say) shared the formatted key, so they share this one.
        var method = typeof(Shelf).GetMethod(nameof(Shelf.Find), [typeof(int)])!;

        var first = Kept(method, Target, [1]);
        var second = Kept(method, Target, [1]);

        Assert.AreEqual(first, second);
        Assert.AreEqual(first.GetHashCode(), second.GetHashCode());
    }

    [TestMethod]
    public void Keep_ArgumentsChangedAfterwards_KeepsTheCallsValues()
    {
        var shape = Shape(typeof(Shelf).GetMethod(nameof(Shelf.Price))!, Target);
        object?[] arguments = [1, "EUR", 3];

        var kept = CallKey.Probe(shape, arguments).Keep();
        arguments[1] = "USD";

        Assert.EndsWith("|1|EUR|3", kept.ToString());
        Assert.AreEqual(kept, CallKey.Probe(shape, [1, "EUR", 3]));
        Assert.AreNotEqual(kept, CallKey.Probe(shape, arguments));
    }

    [TestMethod]
    public void ToString_KeptKey_IsTheFormattedDefaultKey()
    {
        var method = typeof(Shelf).GetMethod(nameof(Shelf.Load))!;
        var template = TemplateCompiler.CompileDefaultKey(method, Target);

        var kept = Kept(method, Target, [5, CancellationToken.None]);

        Assert.AreEqual(template.Format([5, CancellationToken.None]), kept.ToString());
    }

    [TestMethod]
    [DataRow(nameof(Shelf.Many))]
    [DataRow(nameof(Shelf.Listed))]
    public void TryCreate_ArgumentThatCanChangeAfterTheCall_KeepsTheFormattedKey(string methodName)
    {
        var method = typeof(Shelf).GetMethod(methodName)!;

        Assert.IsNull(CallKeyShape.TryCreate(method, TemplateCompiler.CompileDefaultKey(method, Target)));
    }

    private static void AssertAgree(MethodInfo method, object?[][] calls)
    {
        var template = TemplateCompiler.CompileDefaultKey(method, Target);
        foreach (var first in calls)
        {
            foreach (var second in calls)
            {
                var sameText = template.Format(first) == template.Format(second);
                var kept = Kept(method, Target, first);
                var probe = CallKey.Probe(Shape(method, Target), second);
                var sameKey = kept.Equals(probe);
                var hashes = (kept.GetHashCode(), probe.GetHashCode());
                probe.Release();

                Assert.AreEqual(sameText, sameKey, $"{template.Format(first)} vs {template.Format(second)}");
                Assert.AreEqual(sameText, kept.Equals(Kept(method, Target, second)), $"kept: {template.Format(first)} vs {template.Format(second)}");
                if (sameKey)
                {
                    Assert.AreEqual(hashes.Item1, hashes.Item2, $"hash: {template.Format(first)} vs {template.Format(second)}");
                }
            }
        }
    }

    private static CallKeyShape Shape(MethodInfo method, string target) =>
        CallKeyShape.TryCreate(method, TemplateCompiler.CompileDefaultKey(method, target)) ?? throw new AssertFailedException(method + " has no call key");

    private static CallKey Kept(MethodInfo method, string target, object?[] arguments)
    {
        var probe = CallKey.Probe(Shape(method, target), arguments);
        var kept = probe.Keep();
        probe.Release();
        return kept;
    }
}

public sealed class Single<T>
{
    public T Get(T value) => value;
}

public sealed class Shelf
{
    public string Pair(string? first, string? second) => first + second;

    public string Price(int id, string? currency, int quantity) => $"{id}{currency}{quantity}";

    public int Load(int id, CancellationToken token) => id;

    public int Find(int id) => id;

    public long Find(long id) => id;

    public int Many(string[] names) => names.Length;

    public int Listed(List<int> ids) => ids.Count;
}
