using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TagCache.AspNetCore.Tests.Site.Pages;

[OutputCacheWithTags("Page_{id}")]
public sealed class CachedPageModel(Renders renders) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public int Render(string name) => renders.Next($"{name}{Id}");

    public void OnGet()
    {
    }
}
