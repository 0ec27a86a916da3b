using TagCache.Stores;

namespace TagCache.AspNetCore.Pages;

/// <summary>
/// The response being produced for a tag-cached endpoint, from the output cache's first policy step to its store: what
/// the page depends on (see <see cref="ExternalComputation"/>) and whether it was served from the cache.
/// </summary>
internal sealed class PageRecording : IDisposable
{
    // Flows from the policy step that starts it, through the endpoint, to the output cache store's SetAsync.
    private static readonly AsyncLocal<PageRecording?> Ambient = new();

    private ExternalComputation? _computation;

    private PageRecording(ExternalComputation computation) => _computation = computation;

    /// <summary>Gets the recording of the response produced on this logical call context, while it is open.</summary>
    public static PageRecording? Current => Ambient.Value is { _computation: not null } page ? page : null;

    /// <summary>Gets the computation; null once stored or disposed.</summary>
    public ExternalComputation? Computation => Volatile.Read(ref _computation);

    public bool ServedFromCache { get; private set; }

    /// <summary>Starts recording and makes it ambient. Called from a synchronous policy step, so the change reaches the endpoint.</summary>
    public static PageRecording Start(ExternalComputation computation)
    {
        var page = new PageRecording(computation);
        computation.Enter();
        Ambient.Value = page;
        return page;
    }

    /// <summary>Marks the response as served from the cache: nothing rendered, nothing to store.</summary>
    public void Served()
    {
        ServedFromCache = true;
        Dispose();
    }

    /// <summary>Stores the page if nothing it depends on moved; ends the recording either way.</summary>
    public bool TryStore(string key, byte[] value, IEnumerable<string>? moreTags, TimeSpan validFor)
    {
        if (Interlocked.Exchange(ref _computation, null) is not { } computation)
        {
            return false;
        }

        using (computation)
        {
            if (moreTags is not null)
            {
                computation.AddTags(moreTags);
            }

            return computation.TryStore(key, value, validFor);
        }
    }

    /// <summary>Ends the recording without storing (the response was not cacheable, or the request ended).</summary>
    public void Dispose() => Interlocked.Exchange(ref _computation, null)?.Dispose();
}
