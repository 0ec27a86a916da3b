using TagCache.Testing;

namespace TagCache.Interception.Tests;

/// <summary>The public surface of TagCache.Interception is what src/TagCache.Interception/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(TagCache.Interception.TagCacheInterceptor).Assembly, "TagCache.Interception.Tests");

        Assert.IsNull(difference, difference);
    }
}
