namespace TagCache.Reliability.Tests.Concurrency;

public sealed record Snapshot(int Id, int Run);

public interface IColdService
{
    [CacheWithTags("Cold_{id}")]
    Snapshot Get(int id);

    [CacheWithTags("Cold_{id}")]
    Task<Snapshot> GetAsync(int id);

    [CacheWithTags("Number_{id}")]
    int GetNumber(int id);

    [CacheWithTags("Number_{id}")]
    ValueTask<int> GetNumberAsync(int id, CancellationToken cancellationToken);
}

/// <summary>A target whose first computation can be held open until every caller has arrived.</summary>
public sealed class ColdService : IColdService
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Gets or sets what a sync computation waits for before it returns.</summary>
    public Action HoldSync { get; set; } = static () => { };

    /// <summary>Gets or sets what an async computation awaits before it returns.</summary>
    public Task HoldAsync { get; set; } = Task.CompletedTask;

    public Snapshot Get(int id)
    {
        var run = Interlocked.Increment(ref _runs);
        HoldSync();
        return new Snapshot(id, run);
    }

    public async Task<Snapshot> GetAsync(int id)
    {
        var run = Interlocked.Increment(ref _runs);
        await HoldAsync.ConfigureAwait(false);
        return new Snapshot(id, run);
    }

    public int GetNumber(int id)
    {
        Interlocked.Increment(ref _runs);
        return id % 10 == 0 ? throw new InvalidOperationException("failing id " + id) : id;
    }

    public async ValueTask<int> GetNumberAsync(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _runs);
        if (id % 2 == 0)
        {
            await Task.Yield();
        }

        cancellationToken.ThrowIfCancellationRequested();
        return id % 10 == 1 ? throw new InvalidOperationException("failing id " + id) : id;
    }
}
