namespace TagCache.Examples.Console;

/// <summary>Stands in for a database. It counts its reads, so the program can tell a cache hit (no read) from a miss.</summary>
public sealed class FakeDatabase
{
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public T Read<T>(Func<T> query)
    {
        Interlocked.Increment(ref _reads);
        return query();
    }

    public async Task<T> ReadAsync<T>(Func<T> query)
    {
        Interlocked.Increment(ref _reads);
        await Task.Yield();
        return query();
    }
}
