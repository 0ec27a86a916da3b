using Castle.DynamicProxy;
using TagCache.Stores;

namespace TagCache.Interception.Tests.Handlers;

public interface IArgumentCatalog
{
    [CacheWithTags("Amount")]
    string ByDouble(double amount);

    [CacheWithTags("Amount")]
    string ByDecimal(decimal amount);

    [CacheWithTags("Moment")]
    string ByMoment(DateTime moment);

    [CacheWithTags("Names")]
    string ByNames(string? first, string? second);

    [CacheWithTags("Names")]
    string ByList(int[] ids);

    [CacheWithTags("Names")]
    Task<string> ByNameAsync(string? name, CancellationToken token);
}

public sealed class ArgumentCatalog : IArgumentCatalog
{
    public int Calls { get; private set; }

    public string ByDouble(double amount) => Count(amount.ToString("R", System.Globalization.CultureInfo.InvariantCulture));

    public string ByDecimal(decimal amount) => Count(amount.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string ByMoment(DateTime moment) => Count(moment.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    public string ByNames(string? first, string? second) => Count($"{first}+{second}");

    public string ByList(int[] ids) => Count(string.Join(",", ids));

    public Task<string> ByNameAsync(string? name, CancellationToken token) => Task.FromResult(Count(name ?? "null"));

    private string Count(string text)
    {
        Calls++;
        return text;
    }
}

/// <summary>
/// Default keys are looked up by the argument values (<see cref="CallKey"/>): through the proxy, calls that the formatted
/// key tells apart get entries of their own, and calls it writes alike share one, for every kind of argument.
/// </summary>
[TestClass]
public sealed class CallKeyLookupTests : IDisposable
{
    private readonly TagCacheProvider _provider = TagCacheFactory.Create();
    private readonly ArgumentCatalog _target = new();
    private readonly IArgumentCatalog _sut;

    public CallKeyLookupTests() =>
        _sut = new ProxyGenerator().CreateInterfaceProxyWithTarget<IArgumentCatalog>(_target, new TagCacheInterceptor(_provider));

    public void Dispose() => _provider.Dispose();

    [TestMethod]
    public void Intercept_ValuesTheKeyWritesApart_AreSeparateEntries()
    {
        Assert.AreEqual("0", _sut.ByDouble(0.0));
        Assert.AreEqual("-0", _sut.ByDouble(-0.0));
        Assert.AreEqual("1.0", _sut.ByDecimal(1.0m));
        Assert.AreEqual("1.00", _sut.ByDecimal(1.00m));
        var moment = new DateTime(2024, 3, 4, 5, 6, 7, DateTimeKind.Unspecified);
        Assert.AreEqual("2024-03-04T05:06:07.0000000", _sut.ByMoment(moment));
        Assert.AreEqual("2024-03-04T05:06:07.0000000Z", _sut.ByMoment(DateTime.SpecifyKind(moment, DateTimeKind.Utc)));
        Assert.AreEqual("a|b+c", _sut.ByNames("a|b", "c"));
        Assert.AreEqual("a+b|c", _sut.ByNames("a", "b|c"));
        Assert.AreEqual("+", _sut.ByNames(null, null));
        Assert.AreEqual("\u2205+", _sut.ByNames("\u2205", null));

        Assert.AreEqual(10, _target.Calls);
    }

    [TestMethod]
    public void Intercept_ValuesTheKeyWritesAlike_ShareOneEntry()
    {
        _sut.ByDouble(double.NaN);
        _sut.ByDouble(BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_0000_0000_0000)));
        _sut.ByDecimal(0.0m);
        _sut.ByDecimal(new decimal(0, 0, 0, true, 1));
        _sut.ByNames(new string('a', 3), "b");
        _sut.ByNames("aaa", new string('b', 1));

        Assert.AreEqual(3, _target.Calls);
    }

    [TestMethod]
    public void Intercept_ArrayArgumentChangedAfterTheCall_IsKeyedByItsContentAtTheCall()
    {
        // Arrays could change under a key that holds them, so their methods keep the formatted key.
        int[] ids = [1, 2];
        _sut.ByList(ids);
        ids[0] = 9;

        Assert.AreEqual("1,2", _sut.ByList([1, 2]));
        Assert.AreEqual("9,2", _sut.ByList(ids));
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public async Task Intercept_TokenArgument_IsNotPartOfTheKey()
    {
        using var source = new CancellationTokenSource();

        await _sut.ByNameAsync("x", CancellationToken.None);
        await _sut.ByNameAsync("x", source.Token);
        await _sut.ByNameAsync(null, source.Token);

        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public void Intercept_InvalidatedTag_MissesEveryArgumentsEntry()
    {
        _sut.ByNames("a", "b");
        _sut.ByNames("c", "d");
        _provider.GetCache(TagCacheOptions.DefaultCacheName).InvalidateTags("Names");

        _sut.ByNames("a", "b");
        _sut.ByNames("c", "d");

        Assert.AreEqual(4, _target.Calls);
    }
}
