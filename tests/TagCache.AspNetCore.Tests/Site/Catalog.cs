using System.Collections.Concurrent;

namespace TagCache.AspNetCore.Tests.Site;

/// <summary>A cached service the test site's pages call.</summary>
public interface ICatalog
{
    [CacheWithTags("Product_{id}")]
    string GetProduct(int id);

    [InvalidateTags("Product_{id}")]
    void Rename(int id, string name);
}

/// <summary>An event the sweeper turns into <c>Product_{ProductId}</c>.</summary>
public sealed record ProductChanged(int ProductId);

public sealed class Catalog : ICatalog
{
    private readonly ConcurrentDictionary<int, string> _names = new();

    public string GetProduct(int id) => _names.GetOrAdd(id, i => $"product-{i}");

    public void Rename(int id, string name) => _names[id] = name;
}

/// <summary>Counts renderings by name, so a test tells a rendered response from a cached one.</summary>
public sealed class Renders
{
    private readonly ConcurrentDictionary<string, int> _counts = new();

    public int Next(string name) => _counts.AddOrUpdate(name, 1, (_, n) => n + 1);

    public int Count(string name) => _counts.GetValueOrDefault(name);
}

/// <summary>Holds a rendering in the middle until the test lets it go, so the test can invalidate while a page renders.</summary>
public sealed class Gates
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (TaskCompletionSource Reached, TaskCompletionSource Release)> _gates = new();

    public Task Reached(string name) => Get(name).Reached.Task.WaitAsync(Guard);

    public void Release(string name) => Get(name).Release.TrySetResult();

    public async Task PassAsync(string name)
    {
        var gate = Get(name);
        gate.Reached.TrySetResult();
        await gate.Release.Task.WaitAsync(Guard);
    }

    /// <summary>Lets every later rendering of <paramref name="name"/> through without stopping.</summary>
    public void Open(string name)
    {
        Get(name).Reached.TrySetResult();
        Release(name);
    }

    private (TaskCompletionSource Reached, TaskCompletionSource Release) Get(string name) =>
        _gates.GetOrAdd(name, _ => (new(TaskCreationOptions.RunContinuationsAsynchronously), new(TaskCreationOptions.RunContinuationsAsynchronously)));
}
