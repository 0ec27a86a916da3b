namespace TagCache.Testing;

/// <summary>What the next calls of a <see cref="QuoteSource"/> do.</summary>
public enum SourceMode
{
    /// <summary>Answer at once with the next quote (1, 2, 3, ...).</summary>
    Answer,

    /// <summary>Throw <see cref="QuoteSource.Failure"/>.</summary>
    Fail,

    /// <summary>Hang until <see cref="QuoteSource.Release"/> (then answer) or the call's token is cancelled.</summary>
    Hang,

    /// <summary>The next call hangs as in <see cref="Hang"/>; the calls after it answer at once (a slow call that is slow alone).</summary>
    HangOnce,
}

/// <summary>
/// The source behind <see cref="IQuoteService"/>: a database that tests make answer, fail or hang, counting its calls and
/// recording the token each call was given. Every answer is a new number, so a test can tell which computation a value
/// came from.
/// </summary>
public sealed class QuoteSource
{
    private readonly object _gate = new();
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;
    private int _next;
    private int _entered;

    public InvalidOperationException Failure { get; } = new("The database is down.");

    public SourceMode Mode { get; set; } = SourceMode.Answer;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets how many calls are hanging now.</summary>
    public int Hanging => Volatile.Read(ref _entered);

    /// <summary>Gets the number the last answer had.</summary>
    public int LastAnswer => Volatile.Read(ref _next);

    /// <summary>Gets the tokens the calls were given, in order.</summary>
    public List<CancellationToken> Tokens { get; } = [];

    /// <summary>Lets every hanging call answer, and later calls in <see cref="SourceMode.Hang"/> hang again.</summary>
    public void Release()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            released = _release;
            _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    public int Answer(CancellationToken token)
    {
        var hang = Enter(token);
        if (hang is not null)
        {
            try
            {
                hang.Wait(token);
            }
            finally
            {
                Interlocked.Decrement(ref _entered);
            }
        }

        return Interlocked.Increment(ref _next);
    }

    public async Task<int> AnswerAsync(CancellationToken token)
    {
        var hang = Enter(token);
        await Task.Yield();
        if (hang is not null)
        {
            try
            {
                await hang.WaitAsync(token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _entered);
            }
        }

        return Interlocked.Increment(ref _next);
    }

    private Task? Enter(CancellationToken token)
    {
        Interlocked.Increment(ref _calls);
        lock (_gate)
        {
            Tokens.Add(token);
        }

        var mode = Mode;
        if (mode == SourceMode.HangOnce)
        {
            Mode = SourceMode.Answer;
            mode = SourceMode.Hang;
        }

        switch (mode)
        {
            case SourceMode.Fail:
                throw Failure;
            case SourceMode.Hang:
                Interlocked.Increment(ref _entered);
                lock (_gate)
                {
                    return _release.Task;
                }

            default:
                return null;
        }
    }
}

/// <summary>
/// Quotes in front of a <see cref="QuoteSource"/>, each setting in the three shapes a cached method has: synchronous,
/// <see cref="Task{TResult}"/> and <see cref="ValueTask{TResult}"/>. Entries live a minute.
/// </summary>
public interface IQuoteService
{
    // Fail-safe: the last good value answers for up to an hour, throttled for 10 seconds.
    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FailSafeThrottleDuration = 10)]
    int Get(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FailSafeThrottleDuration = 10)]
    Task<int> GetAsync(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FailSafeThrottleDuration = 10)]
    ValueTask<int> GetValueAsync(int id, CancellationToken token = default);

    // Fail-safe that also answers with a value an invalidation declared stale (the opt-in).
    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FallbackAfterInvalidation = true)]
    int GetEvenInvalidated(int id);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FallbackAfterInvalidation = true)]
    Task<int> GetEvenInvalidatedAsync(int id);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, FallbackAfterInvalidation = true)]
    ValueTask<int> GetEvenInvalidatedValueAsync(int id);

    // A soft timeout of 100 ms (with fail-safe, which provides the fallback) and a hard one of 1 s.
    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    int GetPatiently(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    Task<int> GetPatientlyAsync(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, FailSafeMaxDuration = 3600, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    ValueTask<int> GetPatientlyValueAsync(int id, CancellationToken token = default);

    // A hard timeout of 1 s and no fail-safe.
    [CacheWithTags("Quote_{id}", Timeout = 60, HardTimeoutMilliseconds = 1000)]
    int GetOrTimeOut(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, HardTimeoutMilliseconds = 1000)]
    Task<int> GetOrTimeOutAsync(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, HardTimeoutMilliseconds = 1000)]
    ValueTask<int> GetOrTimeOutValueAsync(int id, CancellationToken token = default);

    // Hedging: past a soft timeout of 100 ms with no fallback, a second computation; a hard timeout of 1 s.
    [CacheWithTags("Quote_{id}", Timeout = 60, Hedge = true, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    int GetHedged(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, Hedge = true, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    Task<int> GetHedgedAsync(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, Hedge = true, SoftTimeoutMilliseconds = 100, HardTimeoutMilliseconds = 1000)]
    ValueTask<int> GetHedgedValueAsync(int id, CancellationToken token = default);

    // Eager refresh from half the entry's minute on.
    [CacheWithTags("Quote_{id}", Timeout = 60, EagerRefreshThreshold = 0.5)]
    int GetFresh(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, EagerRefreshThreshold = 0.5)]
    Task<int> GetFreshAsync(int id, CancellationToken token = default);

    [CacheWithTags("Quote_{id}", Timeout = 60, EagerRefreshThreshold = 0.5)]
    ValueTask<int> GetFreshValueAsync(int id, CancellationToken token = default);

    // The cache's settings only.
    [CacheWithTags("Quote_{id}", Cache = "resilient")]
    int GetWithCacheSettings(int id);

    [InvalidateTags("Quote_{id}")]
    void Change(int id);
}

public sealed class QuoteService(QuoteSource source) : IQuoteService
{
    public int Get(int id, CancellationToken token = default) => source.Answer(token);

    public Task<int> GetAsync(int id, CancellationToken token = default) => source.AnswerAsync(token);

    public async ValueTask<int> GetValueAsync(int id, CancellationToken token = default) => await source.AnswerAsync(token);

    public int GetEvenInvalidated(int id) => source.Answer(default);

    public Task<int> GetEvenInvalidatedAsync(int id) => source.AnswerAsync(default);

    public async ValueTask<int> GetEvenInvalidatedValueAsync(int id) => await source.AnswerAsync(default);

    public int GetPatiently(int id, CancellationToken token = default) => source.Answer(token);

    public Task<int> GetPatientlyAsync(int id, CancellationToken token = default) => source.AnswerAsync(token);

    public async ValueTask<int> GetPatientlyValueAsync(int id, CancellationToken token = default) => await source.AnswerAsync(token);

    public int GetOrTimeOut(int id, CancellationToken token = default) => source.Answer(token);

    public Task<int> GetOrTimeOutAsync(int id, CancellationToken token = default) => source.AnswerAsync(token);

    public async ValueTask<int> GetOrTimeOutValueAsync(int id, CancellationToken token = default) => await source.AnswerAsync(token);

    public int GetHedged(int id, CancellationToken token = default) => source.Answer(token);

    public Task<int> GetHedgedAsync(int id, CancellationToken token = default) => source.AnswerAsync(token);

    public async ValueTask<int> GetHedgedValueAsync(int id, CancellationToken token = default) => await source.AnswerAsync(token);

    public int GetFresh(int id, CancellationToken token = default) => source.Answer(token);

    public Task<int> GetFreshAsync(int id, CancellationToken token = default) => source.AnswerAsync(token);

    public async ValueTask<int> GetFreshValueAsync(int id, CancellationToken token = default) => await source.AnswerAsync(token);

    public int GetWithCacheSettings(int id) => source.Answer(default);

    public void Change(int id)
    {
    }
}

/// <summary>How a test calls a cached method: the same setting through each of its three shapes.</summary>
public enum CallShape
{
    Sync,
    Task,
    ValueTask,
}

/// <summary>Calls <see cref="IQuoteService"/>'s methods of one setting in one shape.</summary>
public static class QuoteCalls
{
    public static Task<int> Get(this IQuoteService quotes, CallShape shape, int id) => Run(shape, () => quotes.Get(id), () => quotes.GetAsync(id), () => quotes.GetValueAsync(id));

    public static Task<int> GetEvenInvalidated(this IQuoteService quotes, CallShape shape, int id) =>
        Run(shape, () => quotes.GetEvenInvalidated(id), () => quotes.GetEvenInvalidatedAsync(id), () => quotes.GetEvenInvalidatedValueAsync(id));

    public static Task<int> GetPatiently(this IQuoteService quotes, CallShape shape, int id, CancellationToken token = default) =>
        Run(shape, () => quotes.GetPatiently(id, token), () => quotes.GetPatientlyAsync(id, token), () => quotes.GetPatientlyValueAsync(id, token));

    public static Task<int> GetOrTimeOut(this IQuoteService quotes, CallShape shape, int id) =>
        Run(shape, () => quotes.GetOrTimeOut(id), () => quotes.GetOrTimeOutAsync(id), () => quotes.GetOrTimeOutValueAsync(id));

    public static Task<int> GetHedged(this IQuoteService quotes, CallShape shape, int id) =>
        Run(shape, () => quotes.GetHedged(id), () => quotes.GetHedgedAsync(id), () => quotes.GetHedgedValueAsync(id));

    public static Task<int> GetFresh(this IQuoteService quotes, CallShape shape, int id) =>
        Run(shape, () => quotes.GetFresh(id), () => quotes.GetFreshAsync(id), () => quotes.GetFreshValueAsync(id));

    /// <summary>
    /// One call: a synchronous one on a thread of its own (it may block until a test moves time), an asynchronous one as
    /// it returns.
    /// </summary>
    private static Task<int> Run(CallShape shape, Func<int> sync, Func<Task<int>> task, Func<ValueTask<int>> valueTask) => shape switch
    {
        CallShape.Sync => System.Threading.Tasks.Task.Factory.StartNew(sync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
        CallShape.Task => task(),
        _ => valueTask().AsTask(),
    };
}
