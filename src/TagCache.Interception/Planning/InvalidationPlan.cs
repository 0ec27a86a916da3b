using TagCache.Scopes;
using TagCache.Stores;
using TagCache.Telemetry;
using TagCache.Templates;

namespace TagCache.Interception.Planning;

/// <summary>The tags one <see cref="InvalidateTagsAttribute"/> bumps in one cache, compiled once.</summary>
/// <param name="cache">The cache.</param>
/// <param name="tags">The tag templates.</param>
/// <param name="method">The method, for messages.</param>
/// <param name="partition">When tags are partitioned by scope: the rule whose values the caller's scope adds to each tag.</param>
internal sealed class InvalidationPlan(ITagCache cache, CompiledTemplate[] tags, string method, ScopeRule? partition = null)
{
    public ScopeRule? Partition => partition;

    public void Invalidate(object?[] arguments, object? result, ProxyScope? scope) =>
        cache.InvalidateTags(FormatTags(arguments, result, scope), InvalidationOrigin.Method);

    public ValueTask InvalidateAsync(object?[] arguments, object? result, ProxyScope? scope) =>
        cache.InvalidateTagsAsync(FormatTags(arguments, result, scope), InvalidationOrigin.Method);

    private string[] FormatTags(object?[] arguments, object? result, ProxyScope? scope)
    {
        var formatted = TagFormatting.Format(tags, arguments, result, method);
        if (partition is not null)
        {
            var snapshot = ScopeBinding.Current(scope, partition, method);
            for (var i = 0; i < formatted.Length; i++)
            {
                formatted[i] = snapshot.Partition(formatted[i]);
            }
        }

        return formatted;
    }
}
