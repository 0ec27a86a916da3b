using Autofac;

namespace TagCache.Interception.Tests.Handlers;

public interface ISharedKeys
{
    [CacheWithTags("T", Key = "shared_{id}")]
    int Count(int id);

    [CacheWithTags("T", Key = "shared_{code}")]
    string Name(int code);

    [CacheWithTags("T", Key = "shared_{number}")]
    Task<string> NameAsync(int number);

    [CacheWithTags("T", Key = "shared_{n}")]
    ValueTask<string> NameValueAsync(int n);
}

public sealed class SharedKeys : ISharedKeys
{
    public int Count(int id) => id;

    public string Name(int code) => "name" + code;

    public Task<string> NameAsync(int number) => Task.FromResult("name" + number);

    public ValueTask<string> NameValueAsync(int n) => ValueTask.FromResult("name" + n);
}

public interface IThrowingTasks
{
    [CacheWithTags("T_{id}")]
    Task<int> ThrowsBeforeReturningTask(int id);

    [CacheWithTags("T_{id}")]
    ValueTask<int> ThrowsBeforeReturningValueTask(int id);

    [CacheWithTags("T_{id}")]
    Task<int> FaultsWithTwoExceptions(int id);

    [InvalidateTags("T_{id}")]
    Task ThrowsBeforeReturningPlainTask(int id);
}

public sealed class ThrowingTasks : IThrowingTasks
{
    public FormatException Synchronous { get; } = new("thrown before a task existed");

    public InvalidOperationException First { get; } = new("first");

    public ArgumentException Second { get; } = new("second");

    public Task<int> ThrowsBeforeReturningTask(int id) => throw Synchronous;

    public ValueTask<int> ThrowsBeforeReturningValueTask(int id) => throw Synchronous;

    public Task ThrowsBeforeReturningPlainTask(int id) => throw Synchronous;

    public Task<int> FaultsWithTwoExceptions(int id)
    {
        var completion = new TaskCompletionSource<int>();
        completion.SetException([First, Second]);
        return completion.Task;
    }
}

public interface ILazyResults
{
    [CacheWithTags("T")]
    IEnumerable<int> Query(int id);

    [CacheWithTags("T")]
    IEnumerable<int> Iterator(int id);

    [CacheWithTags("T")]
    Task<IEnumerable<int>> QueryAsync(int id);

    [CacheWithTags("T")]
    IEnumerable<int> Materialised(int id);

    [CacheWithTags("T")]
    IReadOnlyList<int> ReadOnly(int id);
}

public sealed class LazyResults : ILazyResults
{
    private readonly List<int> _rows = [1, 2, 3];

    public int Enumerations { get; private set; }

    public IEnumerable<int> Query(int id) => _rows.Where(r => { Enumerations++; return r >= id; });

    public IEnumerable<int> Iterator(int id)
    {
        foreach (var row in _rows)
        {
            yield return row;
        }
    }

    public Task<IEnumerable<int>> QueryAsync(int id) => Task.FromResult(Query(id));

    public IEnumerable<int> Materialised(int id) => Query(id).ToList();

    public IReadOnlyList<int> ReadOnly(int id) => [.. Query(id)];
}

public interface INamedThings
{
    [CacheWithTags("{name}")]
    string Get(string name);
}

public sealed class NamedThings : INamedThings
{
    public string Get(string name) => "got " + name;
}

/// <summary>What a proxied call hands back, for each result shape: the same as the target would, or a clear error.</summary>
[TestClass]
public sealed class ResultShapeTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(20);

    [TestMethod]
    public async Task Call_KeyHoldsValueOfAnotherMethodsType_ThrowsNamingKeyAndMethod()
    {
        using var container = Build<SharedKeys, ISharedKeys>();
        var sut = container.Resolve<ISharedKeys>();
        sut.Count(1);

        var sync = Assert.ThrowsExactly<InvalidCastException>(() => sut.Name(1));
        var task = await Assert.ThrowsExactlyAsync<InvalidCastException>(() => sut.NameAsync(1));
        var valueTask = await Assert.ThrowsExactlyAsync<InvalidCastException>(() => sut.NameValueAsync(1).AsTask());

        foreach (var (error, method) in new[] { (sync, "Name"), (task, "NameAsync"), (valueTask, "NameValueAsync") })
        {
            StringAssert.Contains(error.Message, "(hidden: set options.Telemetry.IncludeSensitiveData to see keys)");
            StringAssert.Contains(error.Message, $"ISharedKeys.{method}");
            StringAssert.Contains(error.Message, "Key");
        }
    }

    [TestMethod]
    public void ThrowsBeforeReturningTask_Cached_ThrowsSynchronouslyLikeTheTarget()
    {
        using var container = Build<ThrowingTasks, IThrowingTasks>();
        var sut = container.Resolve<IThrowingTasks>();
        var target = Target(container);

        var task = Assert.ThrowsExactly<FormatException>(() => sut.ThrowsBeforeReturningTask(1));
        var valueTask = Assert.ThrowsExactly<FormatException>(() => sut.ThrowsBeforeReturningValueTask(1));
        var plainTask = Assert.ThrowsExactly<FormatException>(() => sut.ThrowsBeforeReturningPlainTask(1));

        Assert.AreSame(target.Synchronous, task);
        Assert.AreSame(target.Synchronous, valueTask);
        Assert.AreSame(target.Synchronous, plainTask);
    }

    [TestMethod]
    public async Task FaultsWithTwoExceptions_Cached_CallerSeesBoth()
    {
        using var container = Build<ThrowingTasks, IThrowingTasks>();
        var sut = container.Resolve<IThrowingTasks>();
        var target = Target(container);

        var task = sut.FaultsWithTwoExceptions(1);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => task.WaitAsync(Guard));

        CollectionAssert.AreEqual(new Exception[] { target.First, target.Second }, task.Exception!.InnerExceptions.ToArray());
    }

    [TestMethod]
    [DataRow(nameof(ILazyResults.Query))]
    [DataRow(nameof(ILazyResults.Iterator))]
    [DataRow(nameof(ILazyResults.QueryAsync))]
    public async Task Call_ResultIsDeferredSequence_FailsNamingMethodAndToList(string method)
    {
        using var container = Build<LazyResults, ILazyResults>();
        var sut = container.Resolve<ILazyResults>();

        async Task<IEnumerable<int>> Call() => method switch
        {
            nameof(ILazyResults.Query) => sut.Query(1),
            nameof(ILazyResults.Iterator) => sut.Iterator(1),
            _ => await sut.QueryAsync(1),
        };

        var error = await Assert.ThrowsExactlyAsync<InvalidOperationException>(Call);
        var again = await Assert.ThrowsExactlyAsync<InvalidOperationException>(Call);

        StringAssert.Contains(error.Message, $"ILazyResults.{method}");
        StringAssert.Contains(error.Message, "ToList()");
        Assert.AreEqual(error.Message, again.Message, "nothing was stored by the first call");
    }

    [TestMethod]
    public void Call_ResultIsMaterialisedBehindSequenceInterface_IsCached()
    {
        using var container = Build<LazyResults, ILazyResults>();
        var sut = container.Resolve<ILazyResults>();

        var first = sut.Materialised(1);
        var second = sut.Materialised(1);
        var readOnly = sut.ReadOnly(2);

        Assert.AreSame(first, second);
        CollectionAssert.AreEqual(new[] { 2, 3 }, readOnly.ToArray());
    }

    [TestMethod]
    public async Task Get_TagTemplateFormatsToEmpty_ThrowsAndLaterCallsDoNotHang()
    {
        using var container = Build<NamedThings, INamedThings>();
        var sut = container.Resolve<INamedThings>();

        var error = Assert.ThrowsExactly<ArgumentException>(() => sut.Get(string.Empty));
        StringAssert.Contains(error.Message, "empty");
        StringAssert.Contains(error.Message, "INamedThings.Get");
        StringAssert.Contains(error.Message, "'{name}'");

        var again = Task.Run(() => Assert.ThrowsExactly<ArgumentException>(() => sut.Get(string.Empty)));
        await again.WaitAsync(Guard);
        Assert.AreEqual("got x", sut.Get("x"));
    }

    private static ThrowingTasks Target(IContainer container) => container.Resolve<ThrowingTasks>();

    private static IContainer Build<TImplementation, TService>()
        where TImplementation : class, TService
        where TService : class
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<TImplementation>().AsSelf().SingleInstance();
        builder.Register(c => c.Resolve<TImplementation>()).As<TService>().EnableTagCaching();
        return builder.Build();
    }
}
