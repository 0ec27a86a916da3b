using TagCache.Testing;

namespace TagCache.Postgres.Tests;

/// <summary>The public surface of TagCache.Postgres is what src/TagCache.Postgres/PublicAPI.txt records; a change must update the file.</summary>
[TestClass]
public sealed class PublicApiTests
{
    [TestMethod]
    public void PublicApi_MatchesRecordedFile()
    {
        var difference = PublicApi.Check(typeof(PostgresTagCacheOptions).Assembly, "TagCache.Postgres.Tests");

        Assert.IsNull(difference, difference);
    }
}
