using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TagCache.AspNetCore.Tests.Site;

/// <summary>
/// A web app with tag-cached endpoints, an MVC controller and Razor Pages, listening on 127.0.0.1 on a port the OS
/// picks; requests go through a real <see cref="HttpClient"/> and Kestrel.
/// </summary>
public sealed class TestSite : IAsyncDisposable
{
    public const string StatusHeader = "X-Cache";

    /// <summary>The request header a tenant site reads the tenant from (as a host name or a claim would give it).</summary>
    public const string TenantHeader = "X-Tenant";

    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private TestSite(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = Guard };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public Renders Renders => Services.GetRequiredService<Renders>();

    public Gates Gates => Services.GetRequiredService<Gates>();

    /// <summary>Builds the site; <paramref name="map"/> replaces the standard endpoints (for startup-check tests).</summary>
    /// <param name="map">Maps the endpoints.</param>
    /// <param name="configure">More TagCache options.</param>
    /// <param name="tenants">Whether each request belongs to the tenant its <see cref="TenantHeader"/> names, and every cache varies by it.</param>
    /// <param name="time">The caches' clock; null for the system's.</param>
    public static WebApplication Build(Action<WebApplication>? map = null, Action<TagCacheOptions>? configure = null, bool tenants = false, TimeProvider? time = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = typeof(TestSite).Assembly.GetName().Name });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddTagCache(options =>
        {
            options.TrackStatistics = true;
            options.InvalidateOn<ProductChanged>("Product_{ProductId}");
            if (tenants)
            {
                options.Scope.VaryBy((TenantContext t) => t.TenantId);
            }

            configure?.Invoke(options);
        });
        builder.Services.AddScoped<TenantContext>();
        builder.Services.AddSingleton<ICatalog, Catalog>().AddTagCaching<ICatalog>(scope => scope.SharedAcrossScopes());
        builder.Services.AddSingleton<Renders>().AddSingleton<Gates>().AddSingleton<Pages.FragmentSource>();
        builder.Services.AddTagCacheOutputCache(o => o.StatusHeader = StatusHeader);
        builder.Services.AddControllers().AddApplicationPart(typeof(TestSite).Assembly);
        builder.Services.AddRazorPages(o => o.RootDirectory = "/Site/Pages").AddApplicationPart(typeof(TestSite).Assembly);

        var app = builder.Build();
        if (tenants)
        {
            app.Use((context, next) =>
            {
                context.RequestServices.GetRequiredService<TenantContext>().TenantId = context.Request.Headers[TenantHeader];
                return next(context);
            });
        }

        app.UseRouting();
        app.UseOutputCache();
        (map ?? MapStandard)(app);
        return app;
    }

    public static async Task<TestSite> StartAsync(Action<TagCacheOptions>? configure = null, bool tenants = false, TimeProvider? time = null)
    {
        var app = Build(configure: configure, tenants: tenants, time: time);
        await app.StartAsync().WaitAsync(Guard);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new TestSite(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync().WaitAsync(Guard);
        await _app.DisposeAsync();
    }

    /// <summary>Gets a page: its body, and whether it was served from the cache.</summary>
    /// <param name="path">The page.</param>
    /// <param name="tenant">The tenant the request is made for, on a tenant site.</param>
    public async Task<(string Body, string? Status)> GetAsync(string path, string? tenant = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (tenant is not null)
        {
            request.Headers.Add(TenantHeader, tenant);
        }

        using var response = await Client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.AreEqual(System.Net.HttpStatusCode.OK, response.StatusCode, body);
        return (body, response.Headers.TryGetValues(StatusHeader, out var values) ? values.Single() : null);
    }

    private static void MapStandard(WebApplication app)
    {
        app.MapGet("/products/{id:int}", (int id, ICatalog catalog, Renders renders) =>
            $"{catalog.GetProduct(id)} render {renders.Next($"product{id}")}").CacheWithTags("Product_{id}", "Catalog");
        app.MapGet("/plain/{id:int}", (int id, Renders renders) => $"plain {id} render {renders.Next($"plain{id}")}").CacheWithTags("Plain_{id}");

        // No tag of its own: it depends on what the cached call it makes depends on.
        app.MapGet("/depends/{id:int}", (int id, ICatalog catalog, Renders renders) =>
            $"{catalog.GetProduct(id)} render {renders.Next($"depends{id}")}").CacheWithTags();
        app.MapGet("/appended/{name}", (string name, Renders renders) =>
        {
            CacheTags.Append($"Extra_{name}");
            return $"appended {name} render {renders.Next($"appended{name}")}";
        }).CacheWithTags();
        app.MapGet("/slow/{id:int}", async (int id, ICatalog catalog, Gates gates, Renders renders) =>
        {
            var product = catalog.GetProduct(id);
            await gates.PassAsync($"slow{id}");
            return $"{product} render {renders.Next($"slow{id}")}";
        }).CacheWithTags("Slow_{id}");
        app.MapGet("/search", (string? q, Renders renders) => $"search {q} render {renders.Next($"search{q}")}")
            .CacheWithTags(["Search_{q}"], TimeSpan.FromMinutes(5), queryKeys: ["q"]);
        app.MapGet("/missing/{id:int}", (int id, Renders renders) =>
        {
            renders.Next($"missing{id}");
            return Results.NotFound();
        }).CacheWithTags("Product_{id}");
        // ASP.NET Core's own policy with a fixed tag, stored in TagCache: evicted by the same tag versions.
        app.MapGet("/framework/{id:int}", (int id, Renders renders) => $"framework render {renders.Next($"framework{id}")}")
            .CacheOutput(policy => policy.Tag("Framework"));
        app.MapGet("/uncached/{id:int}", (int id, Renders renders) => $"uncached render {renders.Next($"uncached{id}")}");

        // A route default of the constraint's type (not text): the page's tag is formatted from the int itself.
        app.Map(
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/defaulted/{id:int}", defaults: new { id = 5 }, parameterPolicies: null),
            (HttpContext context, Renders renders) => $"defaulted {context.Request.RouteValues["id"]} render {renders.Next("defaulted")}").CacheWithTags("Defaulted_{id}");
        app.MapControllers();
        app.MapRazorPages();
    }
}
