using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TagCache.Examples.Web.Pages;

/// <summary>A category page whose parts are cached as fragments.</summary>
/// <param name="catalog">The cached catalog service.</param>
public sealed class CategoryModel(ICatalogService catalog) : PageModel
{
    /// <summary>Gets the catalog the fragments read.</summary>
    public ICatalogService Catalog => catalog;

    /// <summary>Gets or sets the category shown.</summary>
    [BindProperty(SupportsGet = true)]
    public int CategoryId { get; set; }

    /// <summary>Renders the page; the fragments read the catalog only when they are not cached.</summary>
    public void OnGet()
    {
    }
}
