namespace TagCache.Postgres.Tests.BadInput;

/// <summary>Bad PostgreSQL options fail where they are given, naming the option and the fix; no server is needed.</summary>
[TestClass]
[TestCategory("Server")]
public sealed class PostgresOptionsInputTests
{
    private const string Valid = "Host=127.0.0.1;Port=1;Username=postgres";

    [TestMethod]
    [DataRow("")]
    [DataRow("   ")]
    public void UsePostgres_BlankConnectionString_ThrowsArgumentException(string connectionString) =>
        Assert.Throws<ArgumentException>(() => new TagCacheOptions().UsePostgres(connectionString));

    [TestMethod]
    public void UsePostgres_NullConnectionString_ThrowsArgumentNull() =>
        Assert.ThrowsExactly<ArgumentNullException>(() => new TagCacheOptions().UsePostgres(null!));

    [TestMethod]
    public void UsePostgres_UnparsableConnectionString_ThrowsNamingItAndTheExpectedForm()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().UsePostgres("Hots=db;;=x"));

        StringAssert.StartsWith(thrown.Message, "UsePostgres: the ConnectionString cannot be parsed");
        Assert.Contains("Host=127.0.0.1;Port=5432;Database=app", thrown.Message);
    }

    [TestMethod]
    public void UsePostgres_UnparsableListenConnectionString_ThrowsNamingIt()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().UsePostgres(Valid, pg => pg.ListenConnectionString = "nonsense"));

        StringAssert.StartsWith(thrown.Message, "UsePostgres: the ListenConnectionString cannot be parsed");
    }

    [TestMethod]
    public void UsePostgres_CalledTwice_ThrowsSayingOnce()
    {
        var options = new TagCacheOptions().UsePostgres(Valid);

        var thrown = Assert.ThrowsExactly<ArgumentException>(() => options.UsePostgres(Valid));
        Assert.Contains("UsePostgres was already called on these options", thrown.Message);
    }

    [TestMethod]
    [DataRow("TagCache")]
    [DataRow("1cache")]
    [DataRow("tag-cache")]
    [DataRow("tag\"cache")]
    [DataRow("")]
    [DataRow("a_schema_name_that_is_longer_than_forty_chars")]
    public void Schema_NotALowerCaseIdentifier_ThrowsWithExample(string schema)
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => new TagCacheOptions().UsePostgres(Valid, pg => pg.Schema = schema));

        Assert.Contains($"Schema '{schema}' is not a lower-case SQL identifier", thrown.Message);
        Assert.Contains("e.g. \"tagcache\"", thrown.Message);
    }

    [TestMethod]
    [DataRow(nameof(PostgresTagCacheOptions.MaxStaleness))]
    [DataRow(nameof(PostgresTagCacheOptions.PollInterval))]
    [DataRow(nameof(PostgresTagCacheOptions.Retention))]
    [DataRow(nameof(PostgresTagCacheOptions.PruneInterval))]
    [DataRow(nameof(PostgresTagCacheOptions.MaxReconnectDelay))]
    public void TimeSpanOption_NotPositive_ThrowsNamingIt(string option)
    {
        foreach (var value in new[] { TimeSpan.Zero, TimeSpan.FromSeconds(-1) })
        {
            var property = typeof(PostgresTagCacheOptions).GetProperty(option)!;
            var thrown = Assert.ThrowsExactly<System.Reflection.TargetInvocationException>(
                () => new TagCacheOptions().UsePostgres(Valid, pg => property.SetValue(pg, value)));

            var inner = Assert.IsInstanceOfType<ArgumentOutOfRangeException>(thrown.InnerException);
            Assert.Contains($"{option} must be positive.", inner.Message);
        }
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-1)]
    public void BatchSize_NotPositive_Throws(int size) =>
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new TagCacheOptions().UsePostgres(Valid, pg => pg.BatchSize = size));

    [TestMethod]
    public void UsePostgres_MaxStalenessBelowTwoPolls_ConfigurationErrorNamingBothAndFix()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => new TagCacheOptions().UsePostgres(Valid, pg =>
        {
            pg.PollInterval = TimeSpan.FromSeconds(2);
            pg.MaxStaleness = TimeSpan.FromSeconds(3);
        }));

        Assert.HasCount(1, thrown.Problems);
        StringAssert.StartsWith(thrown.Problems[0], "MaxStaleness (00:00:03) must be at least twice PollInterval (00:00:02)");
        Assert.Contains("Raise MaxStaleness or lower PollInterval.", thrown.Problems[0]);
    }

    [TestMethod]
    public void UsePostgres_RetentionNotAboveMaxStaleness_ConfigurationError()
    {
        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => new TagCacheOptions().UsePostgres(Valid, pg => pg.Retention = TimeSpan.FromSeconds(5)));

        StringAssert.StartsWith(thrown.Problems[0], "Retention (00:00:05) must be longer than MaxStaleness (00:00:05)");
    }

    [TestMethod]
    public void Defaults_AreTheDocumentedOnes()
    {
        PostgresTagCacheOptions? seen = null;
        new TagCacheOptions().UsePostgres(Valid, pg => seen = pg);

        Assert.AreEqual("tagcache", seen!.Schema);
        Assert.AreEqual(TimeSpan.FromSeconds(5), seen.MaxStaleness);
        Assert.AreEqual(TimeSpan.FromSeconds(1), seen.PollInterval);
        Assert.AreEqual(TimeSpan.FromHours(24), seen.Retention);
        Assert.AreEqual(TimeSpan.FromMinutes(5), seen.PruneInterval);
        Assert.AreEqual(TimeSpan.FromSeconds(5), seen.MaxReconnectDelay);
        Assert.AreEqual(10_000, seen.BatchSize);
        Assert.IsTrue(seen.CreateSchema);
        Assert.IsNull(seen.ListenConnectionString);
        Assert.AreEqual(Valid, seen.ConnectionString);
    }
}
