using TagCache.Examples.Web;

await CatalogApp.Build(args).RunAsync();
