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
        if (valid.Contains(TagNames.Everything, StringComparer.Ordinal))
        {
            Wait(RemoveEverythingAsync(origin, CancellationToken.None));
            return;
        }

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
        if (valid.Contains(TagNames.Everything, StringComparer.Ordinal))
        {
            await RemoveEverythingAsync(origin, cancellationToken).ConfigureAwait(false);
            return;
        }

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
        // Entries without tags go too: nothing this node holds can be trusted (or everything was removed).
        _memory.Compact(1.0);
        Telemetry.AllInvalidated(reason);
    }

    /// <summary>
    /// Removes every entry, on this node and (shared) on every node: the tag <see cref="TagNames.Everything"/>, which every
    /// entry carries implicitly (HybridCache's <c>RemoveByTagAsync("*")</c>). Running computations are discarded.
    /// </summary>
    private async ValueTask RemoveEverythingAsync(InvalidationOrigin origin, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> everything = [TagNames.Everything];
        using (var traced = Telemetry.StartInvalidation(everything, origin))
        {
            try
            {
                await Versions.InvalidateEverythingAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                traced.Failed(exception);
                throw;
            }
            finally
            {
                _memory.Compact(1.0);
            }
        }

        Telemetry.Invalidated(everything, origin);
    }

    private void Invalidated(IReadOnlyList<string> tags, InvalidationOrigin origin)
    {
        _reclaimer.NoteInvalidation();
        Telemetry.Invalidated(tags, origin);
    }

    /// <summary>Reclaims the memory of stale entries now, as the background pass does; returns how many it freed.</summary>
    internal int ReclaimNow() => _reclaimer.Reclaim();
}
