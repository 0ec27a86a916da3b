using System.Globalization;
using System.Net;

namespace TagCache.Examples.Web;

/// <summary>The HTML of the cached product page; the time shows when it was rendered, so a cached copy is easy to spot.</summary>
internal static class ProductPage
{
    public static string Render(Product product) => string.Create(
        CultureInfo.InvariantCulture,
        $"<html><body><h1>{WebUtility.HtmlEncode(product.Name)}</h1><p>Price: {product.Price:0.00}</p><p>Category {product.CategoryId}</p><p>rendered at {DateTime.UtcNow:HH:mm:ss.fff}</p></body></html>");
}
