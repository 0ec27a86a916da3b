using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

internal enum Color
{
    Red = 1,
    Green = 2,
}

internal sealed class Category
{
    public int Id { get; init; }

    public string? Name { get; init; }
}

internal sealed class Product
{
    public int Id { get; init; }

    public string? Name { get; init; }

    public Category? Category { get; init; }

#pragma warning disable CA1051 // A public field is what the template must be able to read.
    public Guid Sku;
#pragma warning restore CA1051
}

internal readonly record struct Order(int Number, DateTime? ShippedAt);

/// <summary>Builds scopes for tests without repeating index bookkeeping.</summary>
internal static class Scopes
{
    public static TemplateScope Of(params (string Name, Type Type)[] parameters) => Of(resultType: null, parameters);

    public static TemplateScope Of(Type? resultType, params (string Name, Type Type)[] parameters) =>
        new([.. parameters.Select((p, i) => new TemplateParameter(p.Name, p.Type, i))], resultType);

    /// <summary>id: int, name: string, product: Product.</summary>
    public static TemplateScope Standard(Type? resultType = null) =>
        Of(resultType, ("id", typeof(int)), ("name", typeof(string)), ("product", typeof(Product)));
}
