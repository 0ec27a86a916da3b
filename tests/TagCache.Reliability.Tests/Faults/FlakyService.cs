namespace TagCache.Reliability.Tests.Faults;

public sealed record Reading(int Id, long Call);

/// <summary>What the next target run on this logical call context does.</summary>
public enum Outcome
{
    Succeed,
    Throw,
    Cancel,
}

/// <summary>The plan for one call and what the target did with it, so the caller can compare with what it got.</summary>
public sealed class CallPlan(Outcome outcome)
{
    public Outcome Outcome { get; } = outcome;

    public bool Ran { get; set; }

    public Reading? Value { get; set; }

    public Exception? Thrown { get; set; }
}

public interface IFlakyService
{
    [CacheWithTags("Flaky_{id}")]
    Reading Get(int id);

    [CacheWithTags("Flaky_{id}")]
    Task<Reading> GetAsync(int id);

    [CacheWithTags("Flaky_{id}")]
    ValueTask<Reading> GetValueAsync(int id);

    [InvalidateTags("Flaky_{id}")]
    void Touch(int id);

    [InvalidateTags("Flaky_{id}")]
    Task TouchAsync(int id);
}

/// <summary>Does what the ambient <see cref="CallPlan"/> says, and records it.</summary>
public sealed class FlakyService : IFlakyService
{
    private static readonly AsyncLocal<CallPlan?> Ambient = new();
    private long _calls;

    public static CallPlan? Plan
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    public long Calls => Interlocked.Read(ref _calls);

    public Reading Get(int id) => Act(id);

    public async Task<Reading> GetAsync(int id)
    {
        await Task.Yield();
        return Act(id);
    }

    public async ValueTask<Reading> GetValueAsync(int id)
    {
        if (id % 2 == 0)
        {
            await Task.Yield();
        }

        return Act(id);
    }

    public void Touch(int id)
    {
    }

    public Task TouchAsync(int id) => Task.CompletedTask;

    private Reading Act(int id)
    {
        var call = Interlocked.Increment(ref _calls);
        var plan = Plan ?? new CallPlan(Outcome.Succeed);
        plan.Ran = true;
        switch (plan.Outcome)
        {
            case Outcome.Throw:
                plan.Thrown = new InvalidOperationException($"target failure {call}");
                throw plan.Thrown;
            case Outcome.Cancel:
                plan.Thrown = new OperationCanceledException($"target cancelled {call}");
                throw plan.Thrown;
            default:
                plan.Value = new Reading(id, call);
                return plan.Value;
        }
    }
}
