// A TagCache node in its own OS process, driven line by line over stdin/stdout by the cross-process tests, through the
// public API only. Arguments: the connection string and the schema.
//   watch <tag>       stores an entry stamped with <tag>, answers "armed <tag>", then "seen <tag>" once the entry is stale
//                     (or "bypassed <tag>" if it stopped being served only because the node passed its staleness bound)
//   invalidate <tag>  invalidates <tag>, answers "done <tag>"
//   quit
using TagCache;
using TagCache.Postgres;

var connectionString = args[0];
var schema = args[1];
using var caches = TagCacheFactory.Create(options =>
{
    options.TrackStatistics = true;
    options.UsePostgres(connectionString, pg =>
    {
        pg.Schema = schema;
        pg.PollInterval = TimeSpan.FromMilliseconds(200);
        pg.MaxStaleness = TimeSpan.FromSeconds(2);
    });
});
var cache = caches.GetCache(TagCacheOptions.DefaultCacheName);

// Ready once a probe entry is served: the node has read the log's head, so its staleness gate is open.
cache.Set("probe", 1, new TagCacheEntryOptions { Tags = ["probe"] });
var deadline = DateTime.UtcNow.AddSeconds(30);
while (!cache.TryGet<int>("probe", out _))
{
    if (DateTime.UtcNow > deadline)
    {
        Console.WriteLine("error not ready");
        return 1;
    }

    Thread.Sleep(5);
    cache.Set("probe", 1, new TagCacheEntryOptions { Tags = ["probe"] });
}

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    var parts = line.Split(' ', 2);
    switch (parts[0])
    {
        case "watch":
            var tag = parts[1];
            cache.Set("watch:" + tag, 1, new TagCacheEntryOptions { Tags = [tag] });
            Console.WriteLine($"armed {tag}");
            var bypassedBefore = caches.GetCurrentStatistics()!.MissesBypassed;
            while (cache.TryGet<int>("watch:" + tag, out _))
            {
                Thread.Yield();
            }

            Console.WriteLine(caches.GetCurrentStatistics()!.MissesBypassed > bypassedBefore ? $"bypassed {tag}" : $"seen {tag}");
            break;
        case "invalidate":
            cache.InvalidateTags(parts[1]);
            Console.WriteLine($"done {parts[1]}");
            break;
        case "quit":
            return 0;
        default:
            Console.WriteLine($"error unknown command '{line}'");
            break;
    }
}

return 0;
