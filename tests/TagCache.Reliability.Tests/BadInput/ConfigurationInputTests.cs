using Autofac;
using TagCache.Interception;

namespace TagCache.Reliability.Tests.BadInput;

/// <summary>Bad templates and attribute values: each fails when the container is built, naming the method and the fix.</summary>
[TestClass]
public sealed class ConfigurationInputTests
{
    [TestMethod]
    [DataRow(typeof(IUnknownName), "unknown name 'idd'. Known names: id", "Write {id}.")]
    [DataRow(typeof(IBadMemberPath), "has no public property or field 'Nope' (in 'item.Nope')", "Available: CategoryId, Id")]
    [DataRow(typeof(IUnclosedBrace), "'{' is not closed", "Close the placeholder with '}'")]
    [DataRow(typeof(IUnopenedBrace), "'}' has no matching '{'", "Write '}}' for a literal '}'")]
    [DataRow(typeof(IEmptyTemplate), "the template is empty", "Write the text with placeholders")]
    [DataRow(typeof(IBlankTemplate), "the template is empty", "Write the text with placeholders")]
    [DataRow(typeof(INullTemplate), "the template is null", "Write the text with placeholders")]
    [DataRow(typeof(IEmptyPlaceholder), "the placeholder '{}' is empty", "Write a parameter name inside it")]
    [DataRow(typeof(INotAPath), "'{id + 1}' is not a parameter name or member path", "without spaces")]
    [DataRow(typeof(IControlCharacterTemplate), "control character U+0009 is not allowed", "single-line printable text")]
    [DataRow(typeof(IResultInKey), "a key cannot use {result}", "Use parameters only")]
    [DataRow(typeof(IResultWithoutResult), "{result} is not available: the method returns no value", "Use parameters only")]
    [DataRow(typeof(IAdjacentKeyPlaceholders), "placeholders {a} and {b} are adjacent", "Put a separator between them")]
    [DataRow(typeof(IBackslashInKey), "a key template cannot contain '\\'", "Use another separator")]
    [DataRow(typeof(INullMarkerInKey), "the marker written for null values", "Remove it")]
    [DataRow(typeof(IUnstableTagValue), "{item} is of type 'TagCache.Reliability.Tests.BadInput.Item', which has no stable formatting", "Name a member with a stable value")]
    [DataRow(typeof(IUnstableDefaultKeyObject), "parameter 'thing' of type 'System.Object' has no stable formatting for a default key", "Set a Key template naming stable members instead")]
    [DataRow(typeof(IUnstableDefaultKeyClass), "parameter 'item' of type 'TagCache.Reliability.Tests.BadInput.Item' has no stable formatting for a default key", "Set a Key template naming stable members instead")]
    [DataRow(typeof(INegativeTimeout), "has Timeout = -1; the timeout is in seconds and cannot be negative", "Write a positive number of seconds")]
    [DataRow(typeof(IUnknownCache), "names the cache 'nope', which is not configured (configured: default)", "options.AddCache(\"nope\")")]
    [DataRow(typeof(IUnknownInvalidationCache), "names the cache 'nope', which is not configured (configured: default)", "options.AddCache(\"nope\")")]
    [DataRow(typeof(ICachedVoid), "is on a method returning Void, which has no result to cache", "use [InvalidateTags]")]
    [DataRow(typeof(ICachedTask), "is on a method returning Task, which has no result to cache", "Task<T>")]
    [DataRow(typeof(IRefParameter), "parameter 'id' is passed by reference", "Pass it by value")]
    [DataRow(typeof(IGenericMethod), "not supported on generic methods", "non-generic method")]
    [DataRow(typeof(ICachedAsyncEnumerable), "returns IAsyncEnumerable<T>", "Task<IReadOnlyList<T>>")]
    public void Build_BadAttribute_ThrowsConfigurationExceptionNamingMethodProblemAndFix(Type contract, string problem, string fix)
    {
        var builder = new ContainerBuilder();
        builder.AddTagCache();
        builder.RegisterType<NeverCalled>().As(contract).EnableTagCaching();

        var thrown = Assert.ThrowsExactly<TagCacheConfigurationException>(() => builder.Build());

        var line = thrown.Problems.Single();
        Assert.StartsWith(contract.Name + ".", line);
        Assert.Contains(problem, line);
        Assert.Contains(fix, line);
    }
}
