namespace TagCache.SecondLevel;

/// <summary>
/// Where the second level keeps its bytes: an <see cref="Microsoft.Extensions.Caching.Distributed.IDistributedCache"/>, or an
/// engine's own table (PostgreSQL). It stores opaque payloads by key with an expiry; every judgement is the caller's.
/// </summary>
internal interface ISecondLevelStore : IAsyncDisposable
{
    /// <summary>Gets the store as messages name it: <c>PostgreSQL</c>, <c>RedisCache</c>.</summary>
    string Name { get; }

    /// <summary>Reads the payload stored under <paramref name="key"/>; null when there is none (or it expired).</summary>
    ValueTask<byte[]?> ReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="payload"/> under <paramref name="key"/> until <paramref name="expires"/> (null: until evicted).</summary>
    ValueTask WriteAsync(string key, byte[] payload, DateTimeOffset? expires, CancellationToken cancellationToken);

    /// <summary>Removes what is stored under <paramref name="key"/>, if anything.</summary>
    ValueTask RemoveAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the fleet-wide lock of <paramref name="key"/>, waiting up to <paramref name="timeout"/> while another node holds
    /// it; the lock is released by disposing what this returns. Null when it could not be taken in time, or the store has
    /// no locks (then every node computes on its own).
    /// </summary>
    ValueTask<IAsyncDisposable?> LockAsync(string key, TimeSpan timeout, CancellationToken cancellationToken) => ValueTask.FromResult<IAsyncDisposable?>(null);
}
