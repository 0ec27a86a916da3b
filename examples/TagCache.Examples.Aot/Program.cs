using Microsoft.Extensions.DependencyInjection;
using TagCache.Examples.Aot;

// Caches, hits and invalidates in a Native AOT executable: the service is wrapped in the decorator TagCache's source
// generator wrote at compile time, since no Castle proxy can be made here. Exits with 1 if any step behaves otherwise.
var catalog = new Catalog();
var services = new ServiceCollection();
services.AddTagCache();
services.AddSingleton<ICatalog>(catalog);
services.AddTagCaching<ICatalog>();
await using var provider = services.BuildServiceProvider();
var cached = provider.GetRequiredService<ICatalog>();

var failures = 0;
void Step(string what, bool ok)
{
    Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}");
    failures += ok ? 0 : 1;
}

Console.WriteLine($"dynamic code: {System.Runtime.CompilerServices.RuntimeFeature.IsDynamicCodeSupported}; wrapped in {cached.GetType().Name}");
var first = cached.Get(1);
var second = cached.Get(1);
Step("a second call is a hit: the catalog was read once", catalog.Reads == 1 && ReferenceEquals(first, second));

var list = await cached.ListAsync(CancellationToken.None);
var again = await cached.ListAsync(CancellationToken.None);
Step("an async method is cached too", catalog.Reads == 2 && ReferenceEquals(list, again));

cached.Rename(1, "Sencha");
var renamed = cached.Get(1);
Step("Rename invalidated Product_1: the next call reads the new name", renamed.Name == "Sencha" && catalog.Reads == 3);

var stillCached = await cached.ListAsync(CancellationToken.None);
Step("entries without that tag stay cached", ReferenceEquals(list, stillCached) && catalog.Reads == 3);

var tea = cached.OnShelf(new ShelfQuery(Shelf.Tea, 10m));
var teaAgain = cached.OnShelf(new ShelfQuery(Shelf.Tea, 10m));
var coffee = cached.OnShelf(new ShelfQuery(Shelf.Coffee, null));
Step("a key over members (an enum, a nullable decimal) tells queries apart and hits", ReferenceEquals(tea, teaAgain) && !ReferenceEquals(tea, coffee) && catalog.Reads == 5);

cached.Restock(Shelf.Tea);
var teaRestocked = cached.OnShelf(new ShelfQuery(Shelf.Tea, 10m));
var coffeeAgain = cached.OnShelf(new ShelfQuery(Shelf.Coffee, null));
Step("Restock(Tea) invalidated Shelf_Tea only", !ReferenceEquals(tea, teaRestocked) && ReferenceEquals(coffee, coffeeAgain) && catalog.Reads == 6);

Console.WriteLine(failures == 0 ? "AOT example: all steps passed" : $"AOT example: {failures} step(s) failed");
return failures == 0 ? 0 : 1;
