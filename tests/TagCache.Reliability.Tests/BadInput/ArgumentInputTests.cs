using Autofac;
using TagCache.Interception;

namespace TagCache.Reliability.Tests.BadInput;

public interface IArgumentService
{
    [CacheWithTags("Name_{name}")]
    string Echo(string? name);

    [CacheWithTags("Pair")]
    string Pair(string? a, string? b);

    [CacheWithTags("List")]
    string Join(string[] items);

    [CacheWithTags("Pair", Key = "pair:{a}:{b}")]
    string CustomKey(string a, string b);

    [CacheWithTags("Item_{id}", "Category_{result.CategoryId}")]
    Item? Find(int id);

    [CacheWithTags("Item_{id}")]
    Task<Item?> FindAsync(int id);

    [CacheWithTags("Slow")]
    Task<string> WaitAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Counts calls per method and answers with a fresh object each time, so a hit is told apart by identity.</summary>
public sealed class ArgumentService : IArgumentService
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public string Echo(string? name) => Answer("echo", name);

    public string Pair(string? a, string? b) => Answer("pair", a, b);

    public string Join(string[] items) => Answer("join", items);

    public string CustomKey(string a, string b) => Answer("custom", a, b);

    public Item? Find(int id)
    {
        Interlocked.Increment(ref _calls);
        return null;
    }

    public Task<Item?> FindAsync(int id)
    {
        Interlocked.Increment(ref _calls);
        return Task.FromResult<Item?>(null);
    }

    public Task<string> WaitAsync(string name, CancellationToken cancellationToken) => Task.FromResult(Answer("wait", name));

    private string Answer(string method, params object?[] arguments) =>
        $"{method}#{Interlocked.Increment(ref _calls)}({string.Join(";", arguments.Select(a => a is string[] list ? string.Join(",", list) : a))})";
}

/// <summary>Odd arguments and results through the interceptor: nulls, separators inside values, very long values.</summary>
[TestClass]
public sealed class ArgumentInputTests
{
    private IContainer _container = null!;
    private ArgumentService _target = null!;
    private IArgumentService _service = null!;

    [TestInitialize]
    public void Initialize()
    {
        _target = new ArgumentService();
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterInstance(_target).As<IArgumentService>().EnableTagCaching();
        _container = builder.Build();
        _service = _container.Resolve<IArgumentService>();
    }

    [TestCleanup]
    public void Cleanup() => _container.Dispose();

    [TestMethod]
    public void Echo_NullEmptyAndNullMarkerArguments_AreDistinctEntries()
    {
        string?[] arguments = [null, string.Empty, "\u2205", "\\\u2205"];
        var first = arguments.Select(_service.Echo).ToArray();
        var second = arguments.Select(_service.Echo).ToArray();

        Assert.AreEqual(arguments.Length, _target.Calls, "each argument is its own entry");
        CollectionAssert.AreEqual(first, second, "and each is a hit the second time");
    }

    [TestMethod]
    [DataRow("1|x", "y", "1", "x|y")]
    [DataRow("a\\", "b", "a", "\\b")]
    [DataRow("a\\|", "b", "a", "\\|b")]
    [DataRow("", "|", "|", "")]
    public void Pair_SeparatorsInsideValues_DoNotCollide(string a1, string b1, string a2, string b2)
    {
        var first = _service.Pair(a1, b1);
        var second = _service.Pair(a2, b2);

        Assert.AreEqual(2, _target.Calls);
        Assert.AreNotEqual(first, second);
        Assert.AreEqual(first, _service.Pair(a1, b1));
        Assert.AreEqual(second, _service.Pair(a2, b2));
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public void Pair_NullAndNullMarkerArgument_DoNotCollide()
    {
        _ = _service.Pair(null, "x");
        _ = _service.Pair("\u2205", "x");

        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public void Join_SequenceSeparatorsInsideElements_DoNotCollide()
    {
        string[][] lists = [["a,b"], ["a", "b"], [string.Empty], [], ["[a]"], ["a]", "[b"], ["\"\""]];

        foreach (var list in lists)
        {
            _ = _service.Join(list);
        }

        foreach (var list in lists)
        {
            _ = _service.Join(list);
        }

        Assert.AreEqual(lists.Length, _target.Calls);
    }

    [TestMethod]
    public void CustomKey_LiteralSeparatorInsideValues_DoesNotCollide()
    {
        _ = _service.CustomKey("1:x", "y");
        _ = _service.CustomKey("1", "x:y");
        _ = _service.CustomKey("1:x", "y");

        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    [DataRow(100)]
    [DataRow(600)]
    [DataRow(100_000)]
    public void Echo_VeryLongArgument_CachesUnderItsFullKey(int length)
    {
        // Past 512 characters the key no longer fits the stack buffer and is built as a string.
        var name = new string('n', length);
        var almost = new string('n', length - 1) + "m";

        var first = _service.Echo(name);
        var again = _service.Echo(new string('n', length));
        var other = _service.Echo(almost);

        Assert.AreSame(first, again);
        Assert.AreNotEqual(first, other);
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public void Echo_ControlCharactersInArgument_AreDistinctKeys()
    {
        _ = _service.Echo("a\nb");
        _ = _service.Echo("a\rb");
        _ = _service.Echo("a\u0000b");
        _ = _service.Echo("a\nb");

        Assert.AreEqual(3, _target.Calls);
    }

    [TestMethod]
    public void Find_NullResult_IsCachedAndItsResultTagUsesTheNullMarker()
    {
        Assert.IsNull(_service.Find(1));
        Assert.IsNull(_service.Find(1));
        Assert.AreEqual(1, _target.Calls, "null is a value like any other");

        // {result.CategoryId} of a null result formats as the null marker.
        _container.Resolve<ITagCache>().InvalidateTags("Category_\u2205");

        Assert.IsNull(_service.Find(1));
        Assert.AreEqual(2, _target.Calls);
    }

    [TestMethod]
    public async Task FindAsync_NullResult_IsCached()
    {
        Assert.IsNull(await _service.FindAsync(1));
        Assert.IsNull(await _service.FindAsync(1));

        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public async Task WaitAsync_DifferentCancellationTokens_ShareOneEntry()
    {
        using var cancellation = new CancellationTokenSource();

        var first = await _service.WaitAsync("x", CancellationToken.None);
        var second = await _service.WaitAsync("x", cancellation.Token);

        Assert.AreSame(first, second);
        Assert.AreEqual(1, _target.Calls);
    }

    [TestMethod]
    public async Task WaitAsync_CancelledToken_ThrowsAndCachesNothing()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAsync<OperationCanceledException>(() => _service.WaitAsync("y", cancellation.Token));

        _ = await _service.WaitAsync("y", CancellationToken.None);
        Assert.AreEqual(1, _target.Calls);
    }
}
