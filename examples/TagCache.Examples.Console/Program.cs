using Autofac;
using TagCache.Examples.Console;
using TagCache.Interception;

var builder = new ContainerBuilder();
builder.AddTagCache(options => options.AddCache("listings"));
builder.RegisterType<ProductService>().As<IProductService>().SingleInstance().EnableTagCaching();

// Build checks every [CacheWithTags]/[InvalidateTags] template now, not at the first call.
using var container = builder.Build();
var products = container.Resolve<IProductService>();

Console.WriteLine("GetProduct(1), first call: miss");
Console.WriteLine($"  -> {products.GetProduct(1)}");
Console.WriteLine("GetProduct(1), second call: hit (no database line)");
Console.WriteLine($"  -> {products.GetProduct(1)}");

Console.WriteLine("ListCategoryAsync(10), first call: miss");
Console.WriteLine($"  -> {string.Join(", ", (await products.ListCategoryAsync(10)).Select(p => p.Name))}");
Console.WriteLine("ListCategoryAsync(10), second call: hit");
Console.WriteLine($"  -> {string.Join(", ", (await products.ListCategoryAsync(10)).Select(p => p.Name))}");

Console.WriteLine("SaveAsync(product 1 renamed): invalidates Product_1 and Category_10");
await products.SaveAsync(new Product(1, "Green tea", 10));

Console.WriteLine("GetProduct(1) after the invalidation: miss");
Console.WriteLine($"  -> {products.GetProduct(1)}");
Console.WriteLine("ListCategoryAsync(10) after the invalidation: miss");
Console.WriteLine($"  -> {string.Join(", ", (await products.ListCategoryAsync(10)).Select(p => p.Name))}");
Console.WriteLine("GetProduct(1) once more: hit");
Console.WriteLine($"  -> {products.GetProduct(1)}");
