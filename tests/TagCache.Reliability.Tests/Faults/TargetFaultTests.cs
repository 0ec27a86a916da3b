using Autofac;
using TagCache.Interception;
using TagCache.Stores;

namespace TagCache.Reliability.Tests.Faults;

[TestClass]
[DoNotParallelize]
public sealed class TargetFaultTests
{
    private const int OperationsPerWorker = 20_000;
    private const int KeysPerWorker = 50;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [TestCategory("Stress")]
    [Timeout(300_000, CooperativeCancellation = true)]
    public async Task Calls_TargetThrowsOrCancelsAtRandom_EachCallerSeesItsOwnOutcomeAndNothingFailedIsCached()
    {
        var target = new FlakyService();
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterInstance(target).As<IFlakyService>().EnableTagCaching();
        using var container = builder.Build();
        var service = container.Resolve<IFlakyService>();

        // Each worker owns its keys, so every call's outcome is known: a hit on its last success, or its own target run.
        var workers = new List<Task<Tally>>
        {
            Task.Factory.StartNew(() => RunSync(service, 0), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Factory.StartNew(() => RunSync(service, 1), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default),
            Task.Run(() => RunAsync(service, 2)),
            Task.Run(() => RunAsync(service, 3)),
        };
        var tallies = await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(2), TestContext.CancellationToken);

        var total = tallies.Aggregate(new Tally(), (sum, t) => sum.Add(t));
        var text = $"random target faults: {total}; target runs {target.Calls:N0}";
        Console.WriteLine(text);
        TestContext.WriteLine(text);
        Assert.AreEqual(0, total.Mismatches, string.Join(Environment.NewLine, tallies.SelectMany(t => t.Examples)));
        Assert.IsGreaterThan(0, total.Thrown);
        Assert.IsGreaterThan(0, total.Cancelled);
        Assert.IsGreaterThan(0, total.Hits);
        Assert.AreEqual(0, ((TagCacheStore)container.Resolve<ITagCache>()).FlightCount);
    }

    private static Tally RunSync(IFlakyService service, int worker)
    {
        var model = new Dictionary<int, Reading>();
        var tally = new Tally();
        for (var i = 0; i < OperationsPerWorker; i++)
        {
            var id = (worker * KeysPerWorker) + Random.Shared.Next(KeysPerWorker);
            if (Random.Shared.Next(20) == 0)
            {
                service.Touch(id);
                model.Remove(id);
                continue;
            }

            var plan = FlakyService.Plan = new CallPlan(RandomOutcome());
            Reading? value = null;
            Exception? error = null;
            try
            {
                value = service.Get(id);
            }
            catch (Exception exception)
            {
                error = exception;
            }

            tally.Check(id, plan, value, error, model);
        }

        return tally;
    }

    private static async Task<Tally> RunAsync(IFlakyService service, int worker)
    {
        // Task<T> and ValueTask<T> methods have keys of their own; one model each.
        var models = new[] { new Dictionary<int, Reading>(), new Dictionary<int, Reading>() };
        var tally = new Tally();
        for (var i = 0; i < OperationsPerWorker; i++)
        {
            var id = (worker * KeysPerWorker) + Random.Shared.Next(KeysPerWorker);
            if (Random.Shared.Next(20) == 0)
            {
                await service.TouchAsync(id);
                models[0].Remove(id);
                models[1].Remove(id);
                continue;
            }

            var useValueTask = Random.Shared.Next(2) == 0;
            var plan = FlakyService.Plan = new CallPlan(RandomOutcome());
            Reading? value = null;
            Exception? error = null;
            try
            {
                value = useValueTask ? await service.GetValueAsync(id) : await service.GetAsync(id);
            }
            catch (Exception exception)
            {
                error = exception;
            }

            tally.Check(id, plan, value, error, models[useValueTask ? 1 : 0]);
        }

        return tally;
    }

    private static Outcome RandomOutcome() => Random.Shared.Next(10) switch
    {
        < 5 => Outcome.Succeed,
        < 8 => Outcome.Throw,
        _ => Outcome.Cancel,
    };

    private sealed class Tally
    {
        public int Hits { get; private set; }

        public int Succeeded { get; private set; }

        public int Thrown { get; private set; }

        public int Cancelled { get; private set; }

        public int Mismatches { get; private set; }

        public List<string> Examples { get; } = [];

        public void Check(int id, CallPlan plan, Reading? value, Exception? error, Dictionary<int, Reading> model)
        {
            if (model.TryGetValue(id, out var cached))
            {
                // A cached success: the target must not run, and the caller gets that same value.
                Expect(!plan.Ran && error is null && ReferenceEquals(value, cached), $"id {id}: expected the cached {cached}, got {value} / {error?.GetType().Name}, ran {plan.Ran}");
                Hits++;
                return;
            }

            if (!plan.Ran)
            {
                Expect(false, $"id {id}: nothing was cached, yet the target did not run (got {value} / {error?.GetType().Name})");
                return;
            }

            switch (plan.Outcome)
            {
                case Outcome.Succeed:
                    Expect(error is null && ReferenceEquals(value, plan.Value), $"id {id}: expected its own value {plan.Value}, got {value} / {error?.GetType().Name}");
                    model[id] = plan.Value!;
                    Succeeded++;
                    break;
                case Outcome.Throw:
                    Expect(ReferenceEquals(error, plan.Thrown), $"id {id}: expected its own exception, got {value} / {error}");
                    Thrown++;
                    break;
                default:
                    Expect(ReferenceEquals(error, plan.Thrown), $"id {id}: expected its own cancellation, got {value} / {error}");
                    Cancelled++;
                    break;
            }
        }

        public Tally Add(Tally other)
        {
            Hits += other.Hits;
            Succeeded += other.Succeeded;
            Thrown += other.Thrown;
            Cancelled += other.Cancelled;
            Mismatches += other.Mismatches;
            return this;
        }

        public override string ToString() =>
            $"calls {Hits + Succeeded + Thrown + Cancelled + Mismatches:N0}: hits {Hits:N0}, own successes {Succeeded:N0}, own exceptions {Thrown:N0}, own cancellations {Cancelled:N0}, mismatches {Mismatches}";

        private void Expect(bool condition, string description)
        {
            if (!condition)
            {
                Mismatches++;
                if (Examples.Count < 5)
                {
                    Examples.Add(description);
                }
            }
        }
    }
}
