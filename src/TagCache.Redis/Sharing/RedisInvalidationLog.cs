using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;
using TagCache.Sharing;

namespace TagCache.Redis.Sharing;

/// <summary>
/// The invalidation log in Redis: a stream of (cache, tag) entries numbered by a counter, under one hash tag so a Redis
/// Cluster keeps them in one slot, with pub/sub as the wake-up. Pub/sub drops messages for a subscriber that is not
/// connected; the stream does not, so a node catches up from the last sequence it applied after any disconnection, and
/// polls. Every operation is one script (<see cref="LogScripts"/>), one round trip.
/// </summary>
internal sealed class RedisInvalidationLog : IInvalidationLog
{
    private readonly Connection _connection;
    private readonly RedisKey[] _keys;
    private readonly RedisChannel _channel;
    private readonly string _prefix;

    public RedisInvalidationLog(Connection connection, string prefix)
    {
        _connection = connection;
        _prefix = prefix;
        var tag = "{" + prefix + "}";
        _keys = [tag + ":id", tag + ":seq", tag + ":log", tag + ":pruned"];
        _channel = RedisChannel.Literal(prefix + ":invalidations");
    }

    public string Category => "TagCache.Redis";

    public string Store => "Redis";

    public string Location => $"Redis key prefix '{_prefix}'";

    public async ValueTask<long[]> AppendAsync(string cache, IReadOnlyList<string> tags, string writer, bool async, CancellationToken cancellationToken)
    {
        if (tags.Count == 0)
        {
            return [];
        }

        var arguments = new RedisValue[4 + tags.Count];
        arguments[0] = NewIdentity();
        arguments[1] = cache;
        arguments[2] = writer;
        arguments[3] = _channel.ToString();
        for (var i = 0; i < tags.Count; i++)
        {
            arguments[4 + i] = tags[i];
        }

        var database = (await _connection.GetAsync(async).ConfigureAwait(false)).GetDatabase();
        var result = async
            ? await database.ScriptEvaluateAsync(LogScripts.Append, _keys, arguments).WaitAsync(cancellationToken).ConfigureAwait(false)
            : database.ScriptEvaluate(LogScripts.Append, _keys, arguments);
        var last = (long)result;
        var sequences = new long[tags.Count];
        for (var i = 0; i < sequences.Length; i++)
        {
            sequences[i] = last - sequences.Length + 1 + i;
        }

        return sequences;
    }

    public async ValueTask<LogPosition> HeadAsync(CancellationToken cancellationToken) =>
        (await ReadAfterAsync(long.MaxValue - 1, 1, cancellationToken).ConfigureAwait(false)).Position;

    public async ValueTask<LogPage> ReadAfterAsync(long after, int limit, CancellationToken cancellationToken)
    {
        var database = (await _connection.GetAsync(async: true).ConfigureAwait(false)).GetDatabase();
        var result = await database.ScriptEvaluateAsync(LogScripts.ReadAfter, _keys, [NewIdentity(), Math.Max(after, 0), limit])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        var parts = (RedisResult[])result!;
        var head = (long)parts[3];
        var position = new LogPosition(Identity((string)parts[0]!, (string)parts[1]!), (long)parts[2], head);
        var rows = new List<LogRow>();
        foreach (var entry in (RedisResult[])parts[4]!)
        {
            var pair = (RedisResult[])entry!;
            var id = (string)pair[0]!;
            var fields = (RedisResult[])pair[1]!;
            string? cache = null;
            string? tag = null;
            for (var i = 0; i + 1 < fields.Length; i += 2)
            {
                switch ((string)fields[i]!)
                {
                    case "c":
                        cache = (string)fields[i + 1]!;
                        break;
                    case "t":
                        tag = (string)fields[i + 1]!;
                        break;
                }
            }

            if (cache is not null && tag is not null)
            {
                rows.Add(new LogRow(long.Parse(id.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), cache, tag));
            }
        }

        return new LogPage(position, rows);
    }

    public async ValueTask<long?> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        var database = (await _connection.GetAsync(async: true).ConfigureAwait(false)).GetDatabase();
        var result = await database.ScriptEvaluateAsync(LogScripts.Prune, _keys, [NewIdentity(), (long)retention.TotalMilliseconds, 10_000])
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.IsNull ? null : (long)result;
    }

    /// <summary>
    /// Subscribes to the wake-up channel until the connection fails (then throws, so the node subscribes again with backoff
    /// and catches up) or <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task ListenAsync(Action<string?> woken, Action listening, CancellationToken cancellationToken)
    {
        var multiplexer = await _connection.GetAsync(async: true).ConfigureAwait(false);
        if (!multiplexer.IsConnected)
        {
            throw new InvalidOperationException($"Redis is not connected ({multiplexer.GetStatus()}).");
        }

        var failed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnFailed(object? sender, ConnectionFailedEventArgs e) =>
            failed.TrySetException(new InvalidOperationException($"The connection to Redis at {e.EndPoint} failed ({e.FailureType}).", e.Exception));

        multiplexer.ConnectionFailed += OnFailed;
        var subscriber = multiplexer.GetSubscriber();
        try
        {
            var queue = await subscriber.SubscribeAsync(_channel).ConfigureAwait(false);
            queue.OnMessage(message => woken(WriterOf(message.Message)));
            listening();
            await failed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            multiplexer.ConnectionFailed -= OnFailed;
            try
            {
                await subscriber.UnsubscribeAsync(_channel).ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Not subscribed any more anyway; the next attempt subscribes afresh.
            }
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The payload is "sequence writer".</summary>
    private static string? WriterOf(RedisValue payload)
    {
        var text = (string?)payload;
        var space = text?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        return space < 0 ? null : text![(space + 1)..];
    }

    private static string NewIdentity() => Guid.NewGuid().ToString("N");

    /// <summary>The log's identity as a node sees it: the log's own and the server's run, so a restart reads as a new log.</summary>
    private static Guid Identity(string log, string run) => new(MD5.HashData(Encoding.UTF8.GetBytes(log + ":" + run)));
}
