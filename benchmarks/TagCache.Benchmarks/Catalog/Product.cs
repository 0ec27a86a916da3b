namespace TagCache.Benchmarks.Catalog;

// Immutable, and marked so: HybridCache hands a cached instance back as it is only to types marked immutable (others it
// copies through its serializer on every hit). TagCache and FusionCache hand back the instance either way.
[System.ComponentModel.ImmutableObject(true)]
public sealed record Product(int Id, string Name, int CategoryId);

[System.ComponentModel.ImmutableObject(true)]
public sealed record Price(int ProductId, string Currency, int Quantity, decimal Amount);
