namespace TagCache.Tags;

/// <summary>
/// Tag versions shared by the nodes of a cluster (see <c>TagCache.Postgres</c>): one per provider, one version store per
/// named cache, disposed with the provider.
/// </summary>
internal interface ISharedTagVersions : IDisposable
{
    /// <summary>Gets the version store of the named cache.</summary>
    ITagVersionStore For(string cacheName);
}
