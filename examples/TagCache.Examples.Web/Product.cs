namespace TagCache.Examples.Web;

/// <summary>A product of the catalog.</summary>
/// <param name="Id">The product id.</param>
/// <param name="Name">The product name.</param>
/// <param name="CategoryId">The category the product is listed in.</param>
/// <param name="Price">The price.</param>
public sealed record Product(int Id, string Name, int CategoryId, decimal Price);

/// <summary>How often the data store was really read, so a client can tell cache hits from misses.</summary>
/// <param name="ProductLoads">Reads of a single product.</param>
/// <param name="CategoryLoads">Reads of a category listing.</param>
public sealed record LoadStats(int ProductLoads, int CategoryLoads);

/// <summary>What <c>/stats</c> reports: the data store's reads, and TagCache's own counters.</summary>
/// <param name="ProductLoads">Reads of a single product.</param>
/// <param name="CategoryLoads">Reads of a category listing.</param>
/// <param name="TagCache">Hit ratio per method, misses by reason, invalidations, computations, entries.</param>
public sealed record CatalogStats(int ProductLoads, int CategoryLoads, TagCacheCounters TagCache);
