namespace TagCache.Tags;

/// <summary>
/// Tag versions shared by the nodes of a cluster (see <c>TagCache.Postgres</c>): one per provider, one version store per
/// named cache. The provider starts it once its caches exist and disposes it after them.
/// </summary>
internal interface ISharedTagVersions : IDisposable, IAsyncDisposable
{
    /// <summary>Gets the version store of the named cache.</summary>
    ITagVersionStore For(string cacheName);

    /// <summary>Starts following the shared log (its loops run until disposal).</summary>
    void Start();
}
