using System.Globalization;
using System.Reflection;
using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

[TestClass]
public sealed class DefaultKeyTests
{
    private const string Null = "\u2205";

    private const string Target = "Shop.Target";

    private static CompiledTemplate CreateSut(string methodName, params Type[] parameterTypes) =>
        TemplateCompiler.CompileDefaultKey(Method(methodName, parameterTypes), Target);

    private static MethodInfo Method(string name, params Type[] parameterTypes) =>
        typeof(KeyedService).GetMethod(name, parameterTypes) ?? throw new InvalidOperationException(name);

    [TestMethod]
    public void CompileDefaultKey_Text_DescribesMethodAndParameters()
    {
        var sut = CreateSut(nameof(KeyedService.Get), typeof(int), typeof(string));

        Assert.AreEqual("Shop.Target|TagCache.Core.Tests.Templates.KeyedService.Get(System.Int32,System.String)|{id}|{name}", sut.Text);
        Assert.IsFalse(sut.UsesResult);
    }

    [TestMethod]
    public void Format_Arguments_FollowIdentityInOrder()
    {
        var sut = CreateSut(nameof(KeyedService.Get), typeof(int), typeof(string));

        Assert.AreEqual("Shop.Target|TagCache.Core.Tests.Templates.KeyedService.Get(System.Int32,System.String)|42|abc", sut.Format([42, "abc"]));
    }

    [TestMethod]
    public void Format_OverloadsWithSameValues_Differ()
    {
        var asInt = CreateSut(nameof(KeyedService.Find), typeof(int)).Format([1]);
        var asLong = CreateSut(nameof(KeyedService.Find), typeof(long)).Format([1L]);

        Assert.AreNotEqual(asInt, asLong);
    }

    [TestMethod]
    public void Format_GenericMethodInstantiations_Differ()
    {
        var open = typeof(KeyedService).GetMethod(nameof(KeyedService.Generic))!;
        var ofInt = TemplateCompiler.CompileDefaultKey(open.MakeGenericMethod(typeof(int)), Target).Format([1]);
        var ofLong = TemplateCompiler.CompileDefaultKey(open.MakeGenericMethod(typeof(long)), Target).Format([1L]);

        Assert.AreNotEqual(ofInt, ofLong);
        Assert.Contains("Generic<System.Int32>", ofInt);
    }

    [TestMethod]
    public void Format_GenericDeclaringTypeInstantiations_Differ()
    {
        var ofInt = TemplateCompiler.CompileDefaultKey(typeof(Repository<int>).GetMethod("Get")!, Target).Format([1]);
        var ofString = TemplateCompiler.CompileDefaultKey(typeof(Repository<string>).GetMethod("Get")!, Target).Format([1]);

        Assert.AreNotEqual(ofInt, ofString);
        Assert.StartsWith("Shop.Target|TagCache.Core.Tests.Templates.Repository`1<System.Int32>.Get(System.Int32)|", ofInt);
    }

    [TestMethod]
    public void Format_SameSignatureOnDifferentTypes_Differ()
    {
        var first = CreateSut(nameof(KeyedService.Find), typeof(int)).Format([1]);
        var second = TemplateCompiler.CompileDefaultKey(typeof(OtherService).GetMethod(nameof(OtherService.Find))!, Target).Format([1]);

        Assert.AreNotEqual(first, second);
    }

    [TestMethod]
    public void Format_SameMethodOnDifferentTargets_Differ()
    {
        var method = Method(nameof(KeyedService.Find), typeof(int));

        var euro = TemplateCompiler.CompileDefaultKey(method, "Shop.EuroPrices").Format([1]);
        var dollar = TemplateCompiler.CompileDefaultKey(method, "Shop.DollarPrices").Format([1]);

        Assert.AreNotEqual(euro, dollar);
        Assert.StartsWith("Shop.EuroPrices|", euro);
    }

    [TestMethod]
    public void Format_TargetContainingSeparator_CannotCollideWithMethodBoundary()
    {
        var method = Method(nameof(KeyedService.Find), typeof(int));

        var withBar = TemplateCompiler.CompileDefaultKey(method, "A|B").Format([1]);
        var plain = TemplateCompiler.CompileDefaultKey(method, "A").Format([1]);

        Assert.StartsWith("A\\|B|", withBar);
        Assert.AreNotEqual(withBar, plain);
    }

    [TestMethod]
    public void CompileDefaultKey_OpenGenericMethod_Throws()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(
            () => TemplateCompiler.CompileDefaultKey(typeof(KeyedService).GetMethod(nameof(KeyedService.Generic))!, Target));

        Assert.AreEqual(-1, ex.Position);
        Assert.Contains("open generic", ex.Message);
    }

    [TestMethod]
    public void Format_CancellationToken_IsNotPartOfKey()
    {
        var sut = CreateSut(nameof(KeyedService.LoadAsync), typeof(int), typeof(CancellationToken));
        using var source = new CancellationTokenSource();
        source.Cancel();

        Assert.AreEqual(sut.Format([5, CancellationToken.None]), sut.Format([5, source.Token]));
        Assert.AreEqual("Shop.Target|TagCache.Core.Tests.Templates.KeyedService.LoadAsync(System.Int32,System.Threading.CancellationToken)|{id}", sut.Text);
        Assert.EndsWith(")|5", sut.Format([5, CancellationToken.None]));
    }

    [TestMethod]
    public void Format_SeparatorInsideValue_DoesNotCollideWithTwoValues()
    {
        var sut = CreateSut(nameof(KeyedService.Pair), typeof(string), typeof(string));

        var first = sut.Format(["1|x", "y"]);
        var second = sut.Format(["1", "x|y"]);

        Assert.AreNotEqual(first, second);
        Assert.EndsWith("|1\\|x|y", first);
    }

    [TestMethod]
    public void Format_EmptyNullAndMarker_AreDistinct()
    {
        var sut = CreateSut(nameof(KeyedService.Pair), typeof(string), typeof(string));

        string[] keys = [sut.Format(["", ""]), sut.Format([null, ""]), sut.Format(["", null]), sut.Format(["\u2205", ""]), sut.Format([null, null])];

        Assert.AreEqual(keys.Length, keys.Distinct().Count(), string.Join(" ", keys));
        Assert.EndsWith("|" + Null + "|" + Null, keys[^1]);
    }

    [TestMethod]
    public void Format_SequenceElementsWithSeparators_DoNotCollide()
    {
        var sut = CreateSut(nameof(KeyedService.Many), typeof(string[]), typeof(int));

        string[] keys =
        [
            sut.Format([new[] { "a,b" }, 1]),
            sut.Format([new[] { "a", "b" }, 1]),
            sut.Format([new[] { "a]|[b" }, 1]),
            sut.Format([Array.Empty<string>(), 1]),
            sut.Format([new[] { "" }, 1]),
            sut.Format([new string?[] { null }, 1]),
            sut.Format([null, 1]),
        ];

        Assert.AreEqual(keys.Length, keys.Distinct().Count(), string.Join(" ", keys));
    }

    [TestMethod]
    public void Format_UnderGermanCulture_IsInvariant()
    {
        var sut = CreateSut(nameof(KeyedService.Measure), typeof(double), typeof(DateTime));
        var date = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        var invariant = sut.Format([1.5, date]);
        var original = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            Assert.AreEqual(invariant, sut.Format([1.5, date]));
            Assert.EndsWith("|1.5|2024-03-04T05:06:07.0000000Z", invariant);
        }
        finally
        {
            CultureInfo.CurrentCulture = original;
        }
    }

    [TestMethod]
    public void Format_RefParameter_UsesElementTypeValue()
    {
        var sut = TemplateCompiler.CompileDefaultKey(typeof(KeyedService).GetMethod(nameof(KeyedService.ByRef))!, Target);

        Assert.EndsWith("ByRef(System.Int32&)|3", sut.Format([3]));
    }

    [TestMethod]
    [DataRow(nameof(KeyedService.Search), "filter", "Filter")]
    [DataRow(nameof(KeyedService.Untyped), "value", "System.Object")]
    [DataRow(nameof(KeyedService.Lookup), "map", "Dictionary")]
    public void CompileDefaultKey_UnsupportedParameterType_ThrowsNamingParameter(string methodName, string parameter, string typeName)
    {
        var method = typeof(KeyedService).GetMethod(methodName)!;

        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.CompileDefaultKey(method, Target));

        Assert.AreEqual(-1, ex.Position);
        Assert.Contains($"parameter '{parameter}' of type", ex.Message);
        Assert.Contains(typeName, ex.Message);
        Assert.Contains("no stable formatting", ex.Message);
        Assert.Contains("Key = ", ex.Message);
        Assert.Contains($"Template '{ex.Template}'", ex.Message);
    }

    [TestMethod]
    public void CompileDefaultKey_UnsupportedClass_SuggestsStableMember()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(
            () => TemplateCompiler.CompileDefaultKey(typeof(KeyedService).GetMethod(nameof(KeyedService.Search))!, Target));

        Assert.Contains("Key = \"Search_{filter.CategoryId}\"", ex.Message);
    }

    [TestMethod]
    public void CompileDefaultKey_NoParameters_IsIdentityOnly()
    {
        var sut = CreateSut(nameof(KeyedService.All));

        Assert.AreEqual("Shop.Target|TagCache.Core.Tests.Templates.KeyedService.All()", sut.Format([]));
    }

    [TestMethod]
    public void TryFormat_IntArgument_DoesNotAllocate()
    {
        var sut = CreateSut(nameof(KeyedService.Find), typeof(int));
        object?[] arguments = [12345];
        var buffer = new char[256];
        Assert.IsTrue(sut.TryFormat(buffer, arguments, null, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = sut.TryFormat(buffer, arguments, null, out var written);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsTrue(ok);
        Assert.AreEqual(sut.Format(arguments), new string(buffer, 0, written));
        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public void TryFormat_PrimitiveArguments_DoNotAllocate()
    {
        var sut = TemplateCompiler.CompileDefaultKey(typeof(KeyedService).GetMethod(nameof(KeyedService.Primitives))!, Target);
        object?[] arguments = ["a|b", Color.Green, Guid.NewGuid(), DateTime.UtcNow, -1.25, (long?)7, true, 'x', TimeSpan.FromMinutes(3)];
        var buffer = new char[512];
        Assert.IsTrue(sut.TryFormat(buffer, arguments, null, out _));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = sut.TryFormat(buffer, arguments, null, out var written);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.IsTrue(ok);
        Assert.AreEqual(sut.Format(arguments), new string(buffer, 0, written));
        Assert.AreEqual(0L, allocated);
    }

    [TestMethod]
    public void TryFormat_TooSmallBuffer_ReturnsFalse()
    {
        var sut = CreateSut(nameof(KeyedService.Find), typeof(int));

        Assert.IsFalse(sut.TryFormat(new char[10], [1], null, out var written));
        Assert.AreEqual(0, written);
    }
}

#pragma warning disable CA1822, CA1859, IDE0060 // Signatures only: the tests read their MethodInfo.
internal sealed class KeyedService
{
    public string Get(int id, string name) => string.Empty;

    public string Find(int id) => string.Empty;

    public string Find(long id) => string.Empty;

    public T Generic<T>(T value) => value;

    public Task<int> LoadAsync(int id, CancellationToken cancellationToken) => Task.FromResult(id);

    public string Pair(string? a, string? b) => string.Empty;

    public string Many(string?[]? items, int page) => string.Empty;

    public string Measure(double size, DateTime at) => string.Empty;

    public string ByRef(ref int count) => string.Empty;

    public string Search(Filter filter) => string.Empty;

    public string Untyped(object value) => string.Empty;

    public string Lookup(Dictionary<string, int> map) => string.Empty;

    public string All() => string.Empty;

    public string Primitives(string text, Color color, Guid id, DateTime at, double size, long? count, bool flag, char letter, TimeSpan span) => string.Empty;
}

internal sealed class OtherService
{
    public string Find(int id) => string.Empty;
}

internal sealed class Repository<T>
{
    public T? Get(int id) => default;
}

internal sealed class Filter
{
    public string? Text { get; init; }

    public int CategoryId { get; init; }
}
#pragma warning restore CA1822, CA1859, IDE0060
