namespace TagCache.Interception;

/// <summary>
/// Thrown when the container is built (or a service is proxied) and one or more cached services are misconfigured:
/// a bad template, an unknown parameter or member, a negative timeout, an unknown named cache, or a caching attribute on
/// a method with no result. Every problem found is listed, each with its method, template and fix.
/// </summary>
public sealed class TagCacheConfigurationException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="TagCacheConfigurationException"/> class.</summary>
    public TagCacheConfigurationException()
        : this("TagCache is misconfigured.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TagCacheConfigurationException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public TagCacheConfigurationException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Initializes a new instance of the <see cref="TagCacheConfigurationException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TagCacheConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    internal TagCacheConfigurationException(IReadOnlyList<string> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    /// <summary>Gets each problem found, one line per problem: the method, the template and the fix.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems)
    {
        var text = new System.Text.StringBuilder();
        text.Append("TagCache found ").Append(problems.Count).Append(problems.Count == 1 ? " problem" : " problems")
            .Append(" in cached services:");
        for (var i = 0; i < problems.Count; i++)
        {
            text.AppendLine().Append("  ").Append(i + 1).Append(". ").Append(problems[i]);
        }

        return text.ToString();
    }
}
