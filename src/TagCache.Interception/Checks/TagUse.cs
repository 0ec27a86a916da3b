using TagCache.Templates;

namespace TagCache.Interception.Checks;

/// <summary>One tag template in the configuration: a tag cached entries carry, or one an invalidation bumps.</summary>
/// <param name="Cache">The cache the template applies to.</param>
/// <param name="Owner">The method it is on, as messages name it (<c>IOrders.List</c>); null for an <c>InvalidateOn</c> rule, whose label says it all.</param>
/// <param name="Label">The template as written in code: <c>[InvalidateTags("Customer_{id}")]</c>.</param>
/// <param name="Shape">The tags it can produce.</param>
/// <param name="Invalidates">True for an invalidation, false for a cached tag.</param>
internal sealed record TagUse(string Cache, string? Owner, string Label, TagShape Shape, bool Invalidates);
