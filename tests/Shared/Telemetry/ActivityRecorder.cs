using System.Collections.Concurrent;
using System.Diagnostics;

namespace TagCache.Testing;

/// <summary>
/// Records the activities of TagCache's activity source once they stop. Every provider in the process uses a source of
/// that name, so tests that use one run apart ([DoNotParallelize]) or read only their own cache's activities.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public ActivityRecorder(string source = "TagCache")
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>The stopped activities of one name and cache.</summary>
    public IReadOnlyList<Activity> Of(string name, string cache) =>
        [.. _stopped.Where(a => a.OperationName == name && Equals(a.GetTagItem("tagcache.cache"), cache))];

    public void Dispose() => _listener.Dispose();
}
