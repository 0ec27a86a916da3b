namespace TagCache.Templates;

/// <summary>The names a template may use: the method's parameters and, for tags, its return value; or the members of one object.</summary>
internal sealed class TemplateScope
{
    /// <param name="parameters">The method's parameters, in argument-array order.</param>
    /// <param name="resultType">
    /// The type <c>{result}</c> refers to (for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> the unwrapped <c>T</c>),
    /// or <see langword="null"/> when <c>{result}</c> is not allowed (keys, or methods without a value).
    /// </param>
    /// <param name="open">
    /// Whether types may contain generic parameters (an open generic service checked when the container is built):
    /// members and formatting that depend on a type argument are checked when the type is closed, at the first resolve.
    /// </param>
    public TemplateScope(IReadOnlyList<TemplateParameter> parameters, Type? resultType, bool open = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        ResultType = resultType;
        Open = open;
    }

    private TemplateScope(Type membersOf)
    {
        Parameters = [];
        MembersOf = membersOf;
    }

    public IReadOnlyList<TemplateParameter> Parameters { get; }

    public Type? ResultType { get; }

    public bool Open { get; }

    /// <summary>Gets the type whose members the names are (argument 0), for templates over an event: <c>Product_{ProductId}</c>.</summary>
    public Type? MembersOf { get; }

    /// <summary>A scope whose names are the public properties and fields of <paramref name="type"/>, passed as argument 0.</summary>
    public static TemplateScope OfMembers(Type type) => new(type);

    /// <summary>Gets a value indicating whether <paramref name="name"/> can start a placeholder path.</summary>
    public bool IsRootName(string name) =>
        MembersOf is { } type ? MemberPath.Find(MemberPath.Lift(type), name) is not null : Parameters.Any(p => p.Name == name);
}
