using TagCache.Testing;

namespace TagCache.DependencyInjection.Tests;

/// <summary>The public surface of TagCache.DependencyInjection is what src/TagCache.DependencyInjection/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(Microsoft.Extensions.DependencyInjection.TagCacheServiceCollectionExtensions).Assembly, "TagCache.DependencyInjection.Tests");

        Assert.IsNull(difference, difference);
    }
}
