namespace TagCache.Examples.Console;

/// <summary>Deliberately broken, to show the error the container build reports.</summary>
public interface IMisspelledCatalog
{
    [CacheWithTags("Product_{productId}", Timeout = -1)]
    Product GetProduct(int id);
}

public sealed class MisspelledCatalog : IMisspelledCatalog
{
    public Product GetProduct(int id) => new(id, "never called", 0);
}
