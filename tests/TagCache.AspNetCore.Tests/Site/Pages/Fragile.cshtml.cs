using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace TagCache.AspNetCore.Tests.Site.Pages;

/// <summary>A page whose fragment reads a source the test can make fail.</summary>
public sealed class FragileModel(Renders renders, FragmentSource source) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public int Render(string fragment) => renders.Next($"{fragment}{Id}");

    public int Fragment() => source.Failing ? throw new InvalidOperationException("The database is down.") : Render("fragile");

    public void OnGet()
    {
    }
}

/// <summary>What a fragile fragment reads; a test sets <see cref="Failing"/> to make its rendering throw.</summary>
public sealed class FragmentSource
{
    public bool Failing { get; set; }
}
