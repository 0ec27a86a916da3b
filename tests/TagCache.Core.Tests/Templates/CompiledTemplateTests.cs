using System.Globalization;
using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

[TestClass]
public sealed class CompiledTemplateTests
{
    private const string Null = "\u2205";

    private static CompiledTemplate CreateSut(string template, Type type, TemplateKind kind = TemplateKind.Key) =>
        TemplateCompiler.Compile(template, Scopes.Of(("value", type)), kind);

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Format_ValueOfAnotherTypeThanCompiledFor_ThrowsNamingBothTypes(bool key)
    {
        var sut = TemplateCompiler.Compile("Product_{id}", Scopes.Of(("id", typeof(int))), key ? TemplateKind.Key : TemplateKind.Tag);

        var thrown = Assert.ThrowsExactly<InvalidOperationException>(() => sut.Format(["5"]));

        StringAssert.Contains(thrown.Message, "A template value of type System.String was given where the template formats System.Int32");
    }

    [TestMethod]
    public void Format_NullArgument_WritesNullMarker()
    {
        Assert.AreEqual("P_" + Null, CreateSut("P_{value}", typeof(string)).Format([null]));
        Assert.AreEqual("P_" + Null, CreateSut("P_{value}", typeof(string), TemplateKind.Tag).Format([null]));
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void Format_NullAlongMemberPath_WritesNullMarker(bool key)
    {
        var scope = Scopes.Standard();
        var sut = TemplateCompiler.Compile("C_{product.Category.Name}", scope, key ? TemplateKind.Key : TemplateKind.Tag);

        Assert.AreEqual("C_" + Null, sut.Format([1, "x", null]));
        Assert.AreEqual("C_" + Null, sut.Format([1, "x", new Product()]));
        Assert.AreEqual("C_" + Null, sut.Format([1, "x", new Product { Category = new Category() }]));
        Assert.AreEqual("C_Tools", sut.Format([1, "x", new Product { Category = new Category { Name = "Tools" } }]));
    }

    [TestMethod]
    public void Format_MemberPathThroughNullableStruct_LooksThroughNullable()
    {
        var sut = CreateSut("Y_{value.ShippedAt.Year}", typeof(Order?));

        Assert.AreEqual("Y_" + Null, sut.Format([null]));
        Assert.AreEqual("Y_" + Null, sut.Format([new Order(1, null)]));
        Assert.AreEqual("Y_2024", sut.Format([new Order(1, new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc))]));
    }

    [TestMethod]
    [DataRow(true, "C_2")]
    [DataRow(false, "C_Green")]
    public void Format_Enum_IsNumberInKeysAndNameInTags(bool key, string expected)
    {
        Assert.AreEqual(expected, CreateSut("C_{value}", typeof(Color), key ? TemplateKind.Key : TemplateKind.Tag).Format([Color.Green]));
    }

    [TestMethod]
    public void Format_NullableValue_WritesValueOrNullMarker()
    {
        var sut = CreateSut("N_{value}", typeof(int?));

        Assert.AreEqual("N_5", sut.Format([5]));
        Assert.AreEqual("N_" + Null, sut.Format([null]));
    }

    [TestMethod]
    public void Format_PrimitiveTypes_UseStableInvariantText()
    {
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var date = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        (Type Type, object Value, string Expected)[] cases =
        [
            (typeof(bool), true, "True"),
            (typeof(char), 'c', "c"),
            (typeof(long), -12L, "-12"),
            (typeof(ulong), ulong.MaxValue, "18446744073709551615"),
            (typeof(double), 0.1 + 0.2, "0.30000000000000004"),
            (typeof(float), 1.5f, "1.5"),
            (typeof(decimal), 1234.50m, "1234.50"),
            (typeof(Guid), guid, "0f8fad5b-d9cb-469f-a165-70867728950e"),
            (typeof(DateTime), date, "2024-01-02T03:04:05.0000000Z"),
            (typeof(DateTimeOffset), new DateTimeOffset(date.Ticks, TimeSpan.FromHours(2)), "2024-01-02T03:04:05.0000000+02:00"),
            (typeof(DateOnly), new DateOnly(2024, 1, 2), "2024-01-02"),
            (typeof(TimeOnly), new TimeOnly(3, 4, 5), "03:04:05.0000000"),
            (typeof(TimeSpan), new TimeSpan(1, 2, 3, 4), "1.02:03:04"),
        ];

        foreach ((var type, var value, var expected) in cases)
        {
            Assert.AreEqual(expected, CreateSut("{value}", type, TemplateKind.Tag).Format([value]), type.Name);
        }
    }

    [TestMethod]
    public void Format_UnderGermanCulture_IsUnchanged()
    {
        var original = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.AreEqual("1.5", CreateSut("{value}", typeof(double), TemplateKind.Tag).Format([1.5]));
            Assert.AreEqual("1234.5", CreateSut("{value}", typeof(decimal), TemplateKind.Tag).Format([1234.5m]));
            Assert.AreEqual(
                "2024-01-02T03:04:05.0000000",
                CreateSut("{value}", typeof(DateTime), TemplateKind.Tag).Format([new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified)]));
            Assert.AreEqual("[1.5,2.25]", CreateSut("{value}", typeof(double[]), TemplateKind.Tag).Format([new[] { 1.5, 2.25 }]));
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [TestMethod]
    public void Format_Sequences_WriteBracketedLists()
    {
        Assert.AreEqual("L_[1,2,3]", CreateSut("L_{value}", typeof(int[])).Format([new[] { 1, 2, 3 }]));
        Assert.AreEqual("L_[]", CreateSut("L_{value}", typeof(List<int>)).Format([new List<int>()]));
        Assert.AreEqual("L_[a," + Null + "]", CreateSut("L_{value}", typeof(IEnumerable<string>)).Format([new[] { "a", null }]));
        Assert.AreEqual("L_[[1],[]]", CreateSut("L_{value}", typeof(int[][])).Format([new[] { new[] { 1 }, Array.Empty<int>() }]));
        Assert.AreEqual("L_" + Null, CreateSut("L_{value}", typeof(int[])).Format([null]));
    }

    [TestMethod]
    public void Format_SequenceElementsInKey_AreEscaped()
    {
        var sut = CreateSut("L_{value}", typeof(string[]));

        var joined = sut.Format([new[] { "a,b" }]);
        var split = sut.Format([new[] { "a", "b" }]);

        Assert.AreEqual("L_[a\\,b]", joined);
        Assert.AreEqual("L_[a,b]", split);
        Assert.AreEqual("L_[\\[\\]]", sut.Format([new[] { "[]" }]));
    }

    [TestMethod]
    public void Format_EmptyStringElementInKey_DiffersFromEmptySequence()
    {
        var sut = CreateSut("L_{value}", typeof(string[]));

        Assert.AreEqual("L_[]", sut.Format([Array.Empty<string>()]));
        Assert.AreEqual("L_[\"\"]", sut.Format([new[] { "" }]));
        Assert.AreEqual("L_[\\\"\\\"]", sut.Format([new[] { "\"\"" }]));
        Assert.AreEqual("L_[\"\",\"\"]", sut.Format([new[] { "", "" }]));
    }

    [TestMethod]
    public void Format_SequenceElementsInTag_AreWrittenPlainly()
    {
        Assert.AreEqual("L_[a,b]", CreateSut("L_{value}", typeof(string[]), TemplateKind.Tag).Format([new[] { "a,b" }]));
    }

    [TestMethod]
    [DataRow("a_b", "P_a\\_b")]
    [DataRow("P", "P_\\P")]
    [DataRow("\\", "P_\\\\")]
    [DataRow("\u2205", "P_\\\u2205")]
    [DataRow("", "P_")]
    [DataRow("plain", "P_plain")]
    public void Format_KeyString_EscapesLiteralCharactersBackslashAndNullMarker(string value, string expected)
    {
        Assert.AreEqual(expected, CreateSut("P_{value}", typeof(string)).Format([value]));
    }

    [TestMethod]
    public void Format_KeyNumber_EscapesLiteralCharacters()
    {
        var sut = TemplateCompiler.Compile("{a}-{b}", Scopes.Of(("a", typeof(int)), ("b", typeof(int))), TemplateKind.Key);

        Assert.AreEqual("\\-1-2", sut.Format([-1, 2]));
        Assert.AreEqual("1-\\-2", sut.Format([1, -2]));
    }

    [TestMethod]
    [DataRow("a_b", "a_b")]
    [DataRow("\u2205", "\u2205")]
    public void Format_TagString_IsWrittenAsIs(string value, string expected)
    {
        Assert.AreEqual("P_" + expected, CreateSut("P_{value}", typeof(string), TemplateKind.Tag).Format([value]));
    }

    [TestMethod]
    public void Format_KeyValuesContainingSeparator_DoNotCollide()
    {
        var sut = TemplateCompiler.Compile("{a}_{b}", Scopes.Of(("a", typeof(string)), ("b", typeof(string))), TemplateKind.Key);

        Assert.AreNotEqual(sut.Format(["1_x", "y"]), sut.Format(["1", "x_y"]));
        Assert.AreNotEqual(sut.Format(["1\\", "_y"]), sut.Format(["1", "\\_y"]));
    }

    [TestMethod]
    public void Format_EmptyNullAndMarkerString_AreAllDistinctInKeys()
    {
        var sut = CreateSut("P_{value}", typeof(string));

        string[] keys = [sut.Format([""]), sut.Format([null]), sut.Format(["\u2205"]), sut.Format(["\\\u2205"])];

        Assert.AreEqual(keys.Length, keys.Distinct().Count(), string.Join(" ", keys));
    }

    [TestMethod]
    public void TryFormat_LargeEnoughBuffer_MatchesFormat()
    {
        var sut = TemplateCompiler.Compile("P_{id}:{name}:{product.Category.Id}", Scopes.Standard(), TemplateKind.Key);
        object?[] arguments = [42, "a:b", new Product { Category = new Category { Id = 3 } }];
        Span<char> buffer = stackalloc char[64];

        Assert.IsTrue(sut.TryFormat(buffer, arguments, null, out var written));
        Assert.AreEqual(sut.Format(arguments), buffer[..written].ToString());
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(2)]
    [DataRow(5)]
    [DataRow(8)]
    public void TryFormat_TooSmallBuffer_ReturnsFalse(int size)
    {
        // "P_a\:b_42" is 9 characters; 8 leaves no room for the last digit, 5 cuts through an escape.
        var sut = TemplateCompiler.Compile("P_{name}_{id}", Scopes.Standard(), TemplateKind.Key);
        object?[] arguments = [42, "a_b", null];
        var buffer = new char[size];

        Assert.IsFalse(sut.TryFormat(buffer, arguments, null, out var written));
        Assert.AreEqual(0, written);
        Assert.AreEqual(9, sut.Format(arguments).Length);
    }

    [TestMethod]
    public void Format_ValueLongerThanStackBuffer_FallsBackToPooledBuffer()
    {
        string value = new('x', 5000);

        Assert.AreEqual("P_" + value, CreateSut("P_{value}", typeof(string)).Format([value]));
    }

    [TestMethod]
    public void Format_TooFewArguments_ThrowsArgumentException()
    {
        var sut = TemplateCompiler.Compile("P_{name}", Scopes.Standard(), TemplateKind.Key);

        Assert.ThrowsExactly<ArgumentException>(() => sut.Format([1]));
    }

    [TestMethod]
    public void TryFormat_MemberPathToInt_DoesNotAllocate()
    {
        var sut = TemplateCompiler.Compile("P_{product.Id}_{id}", Scopes.Standard(), TemplateKind.Key);
        object?[] arguments = [42, "x", new Product { Id = 7 }];
        var buffer = new char[64];
        Assert.IsTrue(sut.TryFormat(buffer, arguments, null, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = sut.TryFormat(buffer, arguments, null, out var written);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsTrue(ok);
        Assert.AreEqual("P_7_42", new string(buffer, 0, written));
        Assert.AreEqual(0L, allocated);
    }
}
