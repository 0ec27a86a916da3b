using Microsoft.AspNetCore.Mvc;

namespace TagCache.AspNetCore.Tests.Site.Controllers;

[ApiController]
[Route("mvc/products")]
public sealed class ProductsController(ICatalog catalog, Renders renders) : ControllerBase
{
    [HttpGet("{id:int}")]
    [OutputCacheWithTags("Product_{id}", "Catalog")]
    public string Get(int id) => $"{catalog.GetProduct(id)} render {renders.Next($"mvc{id}")}";
}
