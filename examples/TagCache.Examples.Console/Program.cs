using Autofac;
using TagCache;
using TagCache.Examples.Console;
using TagCache.Interception;
using static TagCache.Examples.Console.Steps;

// Every "hit" or "miss" below is observed, not assumed: a step is a miss when the fake database was read during it.
var database = new FakeDatabase();
var builder = new ContainerBuilder();
builder.AddTagCache(options => options
    .AddCache("listings")
    .InvalidateOn<VoteCast>(e => [$"Comment_{e.CommentId}"]));
builder.RegisterInstance(database);
builder.RegisterType<ArticleData>().SingleInstance();
builder.RegisterType<CommentFragments>().As<ICommentFragments>().SingleInstance().EnableTagCaching();
builder.RegisterType<ArticlePages>().As<IArticlePages>().SingleInstance().EnableTagCaching();
builder.RegisterType<VoteHandler>().As<IHandle<VoteCast>>().SingleInstance().EnableTagCaching();
builder.RegisterType<ProductCatalog>().As<IProductCatalog>().SingleInstance().EnableTagCaching();

// Build checks every [CacheWithTags]/[InvalidateTags] template and every InvalidateOn cache name now, not at the first call.
using var container = builder.Build();

Section("Article with comments and votes (django-cachesweeper)");
var data = container.Resolve<ArticleData>();
var pages = container.Resolve<IArticlePages>();
var comments = container.Resolve<ICommentFragments>();
Run(database, "article page 1", () => pages.Render(1));
Run(database, "article page 1 again", () => pages.Render(1));
Run(database, "comment 2 on its own", () => comments.Render(2));

Note("A vote on comment 1, published as a domain event; the app's dispatcher calls ICacheSweeper.Sweep:");
data.Like(1);
container.Resolve<ICacheSweeper>().Sweep(new VoteCast(CommentId: 1, ArticleId: 1));
Run(database, "comment 1 after the vote", () => comments.Render(1));
Run(database, "article page 1 (carries comment 1's tag)", () => pages.Render(1));
Run(database, "comment 2 (not voted on)", () => comments.Render(2));

Note("A vote on comment 2, handled by a handler whose method carries [InvalidateTags(\"Comment_{e.CommentId}\")]:");
container.Resolve<IHandle<VoteCast>>().Handle(new VoteCast(CommentId: 2, ArticleId: 1));
Run(database, "comment 2 after the vote", () => comments.Render(2));
Run(database, "article page 1", () => pages.Render(1));
Run(database, "article page 1 again", () => pages.Render(1));

Note("Version from data (using='updated_at'): the header's key contains the article's UpdatedAt:");
string Header() => Run(database, $"header, UpdatedAt {data.Article.UpdatedAt:HH:mm}", () => pages.RenderHeader(data.Article));
Header();
Header();
data.Article = data.Article with { Title = "Tag caching, revised", UpdatedAt = data.Article.UpdatedAt.AddHours(1) };
Header();

Section("Product catalog with categories (django-cache-tags)");
var catalog = container.Resolve<IProductCatalog>();
Run(database, "GetProduct(1)", () => catalog.GetProduct(1));
Run(database, "GetProduct(1) again", () => catalog.GetProduct(1));
await RunAsync(database, "ListCategoryAsync(10) in cache \"listings\"", () => catalog.ListCategoryAsync(10));
await RunAsync(database, "ListCategoryAsync(10) again", () => catalog.ListCategoryAsync(10));
await RunAsync(database, "ListCategoryAsync(20)", () => catalog.ListCategoryAsync(20));
Note("SaveAsync(product 1 renamed) invalidates Product_1 and Category_10 (both caches):");
await catalog.SaveAsync(new Product(1, "Green tea", 10));
Run(database, "GetProduct(1)", () => catalog.GetProduct(1));
await RunAsync(database, "ListCategoryAsync(10)", () => catalog.ListCategoryAsync(10));
await RunAsync(database, "ListCategoryAsync(20) (other category)", () => catalog.ListCategoryAsync(20));

Section("Manual API: named caches, CacheTags.Append, InvalidateTags");
var caches = TagCacheFactory.Create(options => options.AddCache("my_backend"));
using (caches as IDisposable)
{
    var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);
    var categoryId = 15;
    string GetValue() => Run(database, "TryGet/Set \"cache_name\"", () =>
    {
        if (!cache.TryGet<string>("cache_name", out var value))
        {
            value = database.Read(() => "value from the database");
            cache.Set("cache_name", value, new TagCacheEntryOptions { Tags = ["FirstModel", $"CategoryModel_{categoryId}"] });
        }

        return value;
    });
    GetValue();
    GetValue();
    cache.InvalidateTags("Tag1", $"CategoryModel_{categoryId}");
    Note("InvalidateTags(\"Tag1\", \"CategoryModel_15\"):");
    GetValue();

    var backend = caches.GetCache("my_backend");
    Task<string> Page() => RunAsync(database, "GetOrSetAsync \"page\" in cache \"my_backend\"", async () =>
        await backend.GetOrSetAsync("page", async ct =>
        {
            var html = await database.ReadAsync(() => "<p>page</p>");
            CacheTags.Append("NewTag1"); // like {% cache_tags_append 'NewTag1' %}
            return html;
        }, new TagCacheEntryOptions { Tags = ["FirstModel"], Timeout = TimeSpan.FromHours(1) }));
    await Page();
    await Page();
    cache.InvalidateTags("NewTag1");
    Note("InvalidateTags(\"NewTag1\") on the default cache: \"my_backend\" has its own tags, so no effect there:");
    await Page();
    backend.InvalidateTags("NewTag1");
    Note("InvalidateTags(\"NewTag1\") on \"my_backend\", the tag appended during the computation:");
    await Page();
}

Section("Errors you may see");
try
{
    CacheTags.Append("Orphan");
}
catch (InvalidOperationException exception)
{
    Note("CacheTags.Append outside a cached computation: " + exception.Message);
}

var broken = new ContainerBuilder();
broken.AddTagCache();
broken.RegisterType<MisspelledCatalog>().As<IMisspelledCatalog>().EnableTagCaching();
try
{
    broken.Build().Dispose();
}
catch (TagCacheConfigurationException exception)
{
    Note("Container build: " + exception.Message);
}
