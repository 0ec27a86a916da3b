namespace TagCache;

/// <summary>
/// Thrown when TagCache's configuration is wrong, from every entry point: the container build (or the first resolve of
/// what the build cannot see), <c>AddTagCaching</c>, and <see cref="TagCacheFactory.Create(Action{TagCacheOptions}?, TimeProvider?, Microsoft.Extensions.Logging.ILoggerFactory?, System.Diagnostics.Metrics.IMeterFactory?)"/>. Causes: a bad template, an
/// unknown parameter or member, a negative timeout, an unknown named cache, a caching attribute on a method with no
/// result, an <c>InvalidateOn</c> rule naming an unknown cache or member. Every problem found is listed, each with where
/// it is, the template and the fix.
/// </summary>
public sealed class TagCacheConfigurationException : InvalidOperationException
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

    /// <param name="problems">One line per problem.</param>
    /// <param name="subject">What was checked, for the first line: cached services, or InvalidateOn registrations.</param>
    internal TagCacheConfigurationException(IReadOnlyList<string> problems, string subject = "cached services")
        : base(Describe(problems, subject))
    {
        Problems = problems;
    }

    /// <summary>Gets each problem found, one line per problem: the method, the template and the fix.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Describe(IReadOnlyList<string> problems, string subject)
    {
        var text = new System.Text.StringBuilder();
        text.Append("TagCache found ").Append(problems.Count).Append(problems.Count == 1 ? " problem" : " problems")
            .Append(" in ").Append(subject).Append(':');
        for (var i = 0; i < problems.Count; i++)
        {
            text.AppendLine().Append("  ").Append(i + 1).Append(". ").Append(problems[i]);
        }

        return text.ToString();
    }
}
