namespace TagCache.Core.Tests.Events;

/// <summary><c>InvalidateOn&lt;TEvent&gt;("Product_{ProductId}")</c>: tag templates over the event's members.</summary>
[TestClass]
public sealed class TemplateInvalidationRuleTests
{
    [TestMethod]
    public void Sweep_TemplateRule_InvalidatesTagsFormattedLikeServiceTemplates()
    {
        var day = new DateTime(2024, 5, 6, 0, 0, 0, DateTimeKind.Utc);
        using var caches = (IDisposable)TagCacheFactory.Create(o => o
            .AddCache("listings")
            .InvalidateOn<OrderPlaced>("Day_{Date}", "Customer_{Customer.Id}")
            .InvalidateOn<OrderPlaced>(["Customer_{Customer.Id}"], cache: "listings"));
        var provider = (ITagCacheProvider)caches;
        var cache = provider.GetCache(TagCacheOptions.DefaultCacheName);
        var listings = provider.GetCache("listings");
        cache.Set("day", 1, Tags(CacheTags.Format($"Day_{day}")));
        cache.Set("customer", 2, Tags("Customer_7"));
        listings.Set("customer", 3, Tags("Customer_7"));
        cache.Set("other", 4, Tags("Customer_8"));

        TagCacheFactory.GetSweeper(provider).Sweep(new OrderPlaced(day, new Customer(7)));

        Assert.IsFalse(cache.TryGet<int>("day", out _));
        Assert.IsFalse(cache.TryGet<int>("customer", out _));
        Assert.IsFalse(listings.TryGet<int>("customer", out _));
        Assert.IsTrue(cache.TryGet<int>("other", out _));
    }

    [TestMethod]
    public void Create_TemplateRuleWithUnknownMember_FailsNamingEventTemplateAndFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() =>
            TagCacheFactory.Create(o => o.InvalidateOn<OrderPlaced>("Day_{Dat}")));

        StringAssert.Contains(thrown.Message, "InvalidateOn<OrderPlaced>");
        StringAssert.Contains(thrown.Message, "Day_{Dat}");
        StringAssert.Contains(thrown.Message, "{Date}");
    }

    private static TagCacheEntryOptions Tags(params string[] tags) => new() { Tags = tags };

    private sealed record Customer(int Id);

    private sealed record OrderPlaced(DateTime Date, Customer Customer);
}
