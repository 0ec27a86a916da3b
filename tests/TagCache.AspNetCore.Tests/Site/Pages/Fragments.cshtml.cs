using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TagCache.AspNetCore.Tests.Site.Pages;

public sealed class FragmentsModel(ICatalog catalog, Renders renders) : PageModel
{
    public ICatalog Catalog => catalog;

    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    [BindProperty(SupportsGet = true, Name = "v")]
    public int Version { get; set; }

    public int Render(string fragment) => renders.Next($"{fragment}{Id}");

    public void OnGet()
    {
    }
}
