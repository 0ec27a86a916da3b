using System.Runtime.ExceptionServices;

namespace TagCache.Tags;

/// <summary>
/// Collects the failures of invalidations applied one after another (several caches, several attributes), so one failure
/// never keeps the others from being applied; thrown together at the end.
/// </summary>
internal static class InvalidationFailures
{
    public static void Add(ref List<Exception>? failures, Exception exception) => (failures ??= []).Add(exception);

    public static void ThrowIfAny(List<Exception>? failures)
    {
        switch (failures)
        {
            case null:
                return;
            case [var single]:
                ExceptionDispatchInfo.Throw(single);
                return;
            default:
                throw new AggregateException("Several invalidations failed; every one was still applied where it could be.", failures);
        }
    }
}
