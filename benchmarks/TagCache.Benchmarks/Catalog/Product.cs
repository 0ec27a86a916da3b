namespace TagCache.Benchmarks.Catalog;

public sealed record Product(int Id, string Name, int CategoryId);

public sealed record Price(int ProductId, string Currency, int Quantity, decimal Amount);
