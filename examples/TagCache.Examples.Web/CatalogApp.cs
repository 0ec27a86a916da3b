using Autofac;
using Autofac.Extensions.DependencyInjection;
using Npgsql;
using TagCache.Interception;
using TagCache.Postgres;
using TagCache.Redis;

namespace TagCache.Examples.Web;

/// <summary>Builds the catalog web app; <c>Program</c> runs it, tests start it in-process on a free port.</summary>
public static class CatalogApp
{
    /// <summary>
    /// Builds the app with Autofac as its container and the cached <see cref="ICatalogService"/>. With
    /// <c>ConnectionStrings:Catalog</c> the products live in PostgreSQL, shared by every instance; with
    /// <c>ConnectionStrings:TagCache</c> the instances share their tag versions there too (see examples/distributed).
    /// </summary>
    /// <param name="args">Command-line arguments, e.g. <c>--urls http://127.0.0.1:0</c>.</param>
    /// <returns>The app, not yet started.</returns>
    public static WebApplication Build(string[] args)
    {
        // Named after this assembly, so its Razor Pages are found when a test host (not this program) builds the app.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(CatalogApp).Assembly.GetName().Name });
        builder.Host.UseServiceProviderFactory(new AutofacServiceProviderFactory());
        var catalogDatabase = builder.Configuration.GetConnectionString("Catalog");
        var tagCacheDatabase = builder.Configuration.GetConnectionString("TagCache");
        var tagCacheRedis = builder.Configuration.GetConnectionString("Redis");
        builder.Host.ConfigureContainer<ContainerBuilder>(container =>
        {
            container.AddTagCache(options =>
            {
                // One switch picks the engine the instances share tag versions (and values) through.
                if (tagCacheRedis is { Length: > 0 })
                {
                    options.UseRedis(tagCacheRedis, redis => redis.UseSecondLevel().MaxStaleness = TimeSpan.FromSeconds(2));
                }
                else if (tagCacheDatabase is { Length: > 0 })
                {
                    options.UsePostgres(tagCacheDatabase, pg => pg.UseSecondLevel().MaxStaleness = TimeSpan.FromSeconds(2));
                }
            });
            if (catalogDatabase is { Length: > 0 })
            {
                container.Register(_ => NpgsqlDataSource.Create(catalogDatabase)).SingleInstance();
                container.RegisterType<PostgresProductTable>().As<IProductTable>().SingleInstance();
            }
            else
            {
                container.RegisterType<InMemoryProductTable>().As<IProductTable>().SingleInstance();
            }

            container.RegisterType<ProductStore>().SingleInstance();
            container.RegisterType<CatalogService>().As<ICatalogService>().SingleInstance().EnableTagCaching();
        });

        builder.Services.AddSingleton<TagCacheMetrics>();

        // Pages and fragments in the same TagCache as the service, so its invalidations evict them too.
        builder.Services.AddTagCacheOutputCache(o => o.StatusHeader = "X-Cache");
        builder.Services.AddRazorPages();

        var app = builder.Build();
        if (OpenTelemetryExport.StartIfConfigured(app.Configuration) is { } export)
        {
            app.Lifetime.ApplicationStopped.Register(export.Dispose);
        }

        // Listening from the start, so /stats counts every call.
        var metrics = app.Services.GetRequiredService<TagCacheMetrics>();
        app.UseRouting();
        app.UseOutputCache();

        // A cached page: tagged ProductPage_{id} by its template, and Product_{id} by the cached call it makes, so saving
        // the product evicts it without naming it.
        app.MapGet("/pages/products/{id:int}", async (int id, ICatalogService catalog) =>
            await catalog.GetProductAsync(id) is { } product ? Results.Content(ProductPage.Render(product), "text/html") : Results.NotFound())
            .CacheWithTags(["ProductPage_{id}"], TimeSpan.FromMinutes(10));
        app.MapRazorPages();
        app.MapGet("/products/{id:int}", async (int id, ICatalogService catalog) =>
            await catalog.GetProductAsync(id) is { } product ? Results.Ok(product) : Results.NotFound());
        app.MapGet("/categories/{id:int}/products", (int id, ICatalogService catalog) => catalog.ListCategoryAsync(id));
        app.MapPut("/products/{id:int}", async (int id, Product product, ICatalogService catalog) =>
        {
            if (product.Id != id)
            {
                return Results.BadRequest($"The body's id {product.Id} does not match the route's id {id}.");
            }

            await catalog.SaveAsync(product);
            return Results.Ok(product);
        });
        app.MapGet("/stats", (ProductStore store) => new CatalogStats(store.Stats.ProductLoads, store.Stats.CategoryLoads, metrics.Read()));
        return app;
    }
}
