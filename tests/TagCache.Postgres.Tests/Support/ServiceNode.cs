using Autofac;
using TagCache.Testing;

namespace TagCache.Postgres.Tests.Support;

/// <summary>A node as an app has it: an Autofac container with TagCache on PostgreSQL and the cached product services, over a database every node shares.</summary>
internal sealed class ServiceNode : IDisposable
{
    private readonly IContainer _container;

    /// <param name="cluster">The cluster the node joins.</param>
    /// <param name="database">The data every node shares.</param>
    /// <param name="configure">More PostgreSQL options for this node (its second level, say).</param>
    public ServiceNode(Cluster cluster, ProductDatabase database, Action<PostgresTagCacheOptions>? configure = null)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache(o =>
        {
            o.TrackStatistics = true;
            o.AddCache("catalog").UsePostgres(cluster.Server.ConnectionString, pg => cluster.Apply(pg, configure));
        });
        builder.RegisterInstance(new ProductService(database, Calls)).As<IProductService>().EnableTagCaching();
        builder.RegisterInstance(new AsyncProductService(database, Calls)).As<IAsyncProductService>().EnableTagCaching();
        _container = builder.Build();
        Provider = _container.Resolve<TagCacheProvider>();
        if (!Cluster.NodeOf(Provider).Ready.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The node did not catch up with the log.");
        }
    }

    public CallCounter Calls { get; } = new();

    public TagCacheProvider Provider { get; }

    public IProductService Products => _container.Resolve<IProductService>();

    public IAsyncProductService AsyncProducts => _container.Resolve<IAsyncProductService>();

    public void Dispose() => _container.Dispose();
}
