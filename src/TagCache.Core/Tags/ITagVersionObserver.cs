namespace TagCache.Tags;

/// <summary>What a cache learns from a shared version store about invalidations it did not make itself.</summary>
internal interface ITagVersionObserver
{
    /// <summary>Another node invalidated <paramref name="tags"/>; they are bumped already.</summary>
    void RemoteInvalidated(IReadOnlyList<string> tags);

    /// <summary>Invalidations may have been missed (the log no longer holds them), so every tag was bumped.</summary>
    void AllInvalidated(string reason);
}
