using StackExchange.Redis;

namespace TagCache.Redis.Sharing;

/// <summary>
/// One lazily opened connection: a node starts without waiting for Redis (the multiplexer keeps trying in the background,
/// and the node's gate stays closed until it has caught up), and whatever it serves closes it.
/// </summary>
internal sealed class Connection : IAsyncDisposable
{
    public const string ClientName = "tagcache";

    private readonly Lazy<Task<ConnectionMultiplexer>> _multiplexer;

    public Connection(ConfigurationOptions configuration)
    {
        var options = configuration.Clone();
        options.AbortOnConnectFail = false;
        options.ClientName ??= ClientName;
        _multiplexer = new Lazy<Task<ConnectionMultiplexer>>(() => ConnectionMultiplexer.ConnectAsync(options));
    }

    /// <summary>Gets the multiplexer, connecting it on first use.</summary>
    public ValueTask<ConnectionMultiplexer> GetAsync(bool async)
    {
        var task = _multiplexer.Value;
        return task.IsCompletedSuccessfully ? ValueTask.FromResult(task.Result)
            : async ? new ValueTask<ConnectionMultiplexer>(task)
            : ValueTask.FromResult(task.GetAwaiter().GetResult());
    }

    public async ValueTask DisposeAsync()
    {
        if (_multiplexer.IsValueCreated)
        {
            var multiplexer = await _multiplexer.Value.ConfigureAwait(false);
            await multiplexer.CloseAsync(allowCommandsToComplete: false).ConfigureAwait(false);
            await multiplexer.DisposeAsync().ConfigureAwait(false);
        }
    }
}
