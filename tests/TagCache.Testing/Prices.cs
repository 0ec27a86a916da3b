namespace TagCache.Testing;

public interface IPriceSource
{
    [CacheWithTags("Price_{id}")]
    decimal GetPrice(int id);
}

public interface IEuroPrices : IPriceSource;

public interface IDollarPrices : IPriceSource;

public sealed class EuroPrices : IEuroPrices
{
    public decimal GetPrice(int id) => id * 1.0m;
}

public sealed class DollarPrices : IDollarPrices
{
    public decimal GetPrice(int id) => id * 2.0m;
}

/// <summary>One type, configured differently per registration.</summary>
public sealed class RatedPrices(decimal rate) : IPriceSource
{
    public decimal GetPrice(int id) => id * rate;
}

public sealed class CountingPrices(int[] calls) : IPriceSource
{
    public decimal GetPrice(int id)
    {
        Interlocked.Increment(ref calls[0]);
        return id * 5.0m;
    }
}
