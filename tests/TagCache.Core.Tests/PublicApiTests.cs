using TagCache.Testing;

namespace TagCache.Core.Tests;

/// <summary>The public surface of TagCache.Core is what src/TagCache.Core/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(ITagCache).Assembly, "TagCache.Core.Tests");

        Assert.IsNull(difference, difference);
    }
}
