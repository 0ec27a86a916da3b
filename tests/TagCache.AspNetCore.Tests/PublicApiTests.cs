using TagCache.Testing;

namespace TagCache.AspNetCore.Tests;

/// <summary>The public surface of TagCache.AspNetCore is what src/TagCache.AspNetCore/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(OutputCacheWithTagsAttribute).Assembly, "TagCache.AspNetCore.Tests");

        Assert.IsNull(difference, difference);
    }
}
