using TagCache.Testing;

namespace TagCache.Autofac.Tests;

/// <summary>The public surface of TagCache.Autofac is what src/TagCache.Autofac/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(global::Autofac.TagCacheRegistrationExtensions).Assembly, "TagCache.Autofac.Tests");

        Assert.IsNull(difference, difference);
    }
}
