namespace TagCache.Templates;

/// <summary>The names a template may use: the method's parameters and, for tags, its return value.</summary>
internal sealed class TemplateScope
{
    /// <param name="parameters">The method's parameters, in argument-array order.</param>
    /// <param name="resultType">
    /// The type <c>{result}</c> refers to (for <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> the unwrapped <c>T</c>),
    /// or <see langword="null"/> when <c>{result}</c> is not allowed (keys, or methods without a value).
    /// </param>
    public TemplateScope(IReadOnlyList<TemplateParameter> parameters, Type? resultType)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Parameters = parameters;
        ResultType = resultType;
    }

    public IReadOnlyList<TemplateParameter> Parameters { get; }

    public Type? ResultType { get; }
}
