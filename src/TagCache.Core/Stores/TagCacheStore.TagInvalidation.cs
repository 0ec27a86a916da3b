using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Memory;
using TagCache.Tags;
using TagCache.Telemetry;

namespace TagCache.Stores;

/// <summary>Tag invalidation: bumping versions (here or on another node), tracing and counting it, and reclaiming the memory it makes stale.</summary>
internal sealed partial class TagCacheStore
{
    private readonly StaleEntryReclaimer _reclaimer;

    public void InvalidateTags(params string[] tags) => InvalidateTags(TagNames.ValidList(tags), InvalidationOrigin.Manual);

    public ValueTask InvalidateTagsAsync(IEnumerable<string> tags, CancellationToken cancellationToken = default) =>
        InvalidateTagsAsync(TagNames.ValidList(tags), InvalidationOrigin.Manual, cancellationToken);

    public void InvalidateTags(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        var valid = TagNames.ValidList(tags);
        using (var traced = Telemetry.StartInvalidation(valid, origin))
        {
            try
            {
                Versions.Invalidate(valid);
            }
            catch (Exception exception)
            {
                traced.Failed(exception);
                throw;
            }
        }

        Invalidated(valid, origin);
    }

    public async ValueTask InvalidateTagsAsync(IReadOnlyList<string> tags, InvalidationOrigin origin, CancellationToken cancellationToken)
    {
        var valid = TagNames.ValidList(tags);
        using (var traced = Telemetry.StartInvalidation(valid, origin))
        {
            try
            {
                await Versions.InvalidateAsync(valid, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                traced.Failed(exception);
                throw;
            }
        }

        Invalidated(valid, origin);
    }

    void ITagVersionObserver.RemoteInvalidated(IReadOnlyList<string> tags) => Invalidated(tags, InvalidationOrigin.Remote);

    void ITagVersionObserver.AllInvalidated(string reason)
    {
        _reclaimer.NoteInvalidation();
        Telemetry.AllInvalidated(reason);
    }

    private void Invalidated(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        _reclaimer.NoteInvalidation();
        Telemetry.Invalidated(tags, origin);
    }

    /// <summary>Reclaims the memory of stale entries now, as the background pass does; returns how many it freed.</summary>
    internal int ReclaimNow() => _reclaimer.Reclaim();
}
