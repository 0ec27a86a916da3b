using Microsoft.CodeAnalysis;

namespace TagCache.Analyzers;

/// <summary>The diagnostics TagCache's analyzer reports, each with a help link into the README.</summary>
internal static class Diagnostics
{
    private const string Category = "TagCache";
    private const string Help = "https://github.com/tagcache/tagcache#errors-you-may-see";

    public static readonly DiagnosticDescriptor NothingToCache = new(
        "TC1001",
        "[CacheWithTags] on a method with no result",
        "[CacheWithTags] is on {0}, which returns {1}: there is no result to cache. Return the value to cache (T, Task<T> or ValueTask<T>), or use [InvalidateTags] for a method that only changes data.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor UnsupportedSignature = new(
        "TC1002",
        "[CacheWithTags] on a method TagCache cannot cache",
        "[CacheWithTags] is on {0}, which {1}. Cache a non-generic method whose parameters are passed by value.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor UnknownName = new(
        "TC1003",
        "A template names something that does not exist",
        "{0} template \"{1}\" on {2}: {3}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor ResultInKey = new(
        "TC1004",
        "{result} in a Key template",
        "Key template \"{0}\" on {1} uses {{result}}: the key is needed before the result exists. Use the result in a tag instead, or key by the arguments.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor NotAValue = new(
        "TC1005",
        "A cached method returns a query or a stream",
        "{0} returns {1}, a {2} that runs when it is enumerated, not a value: the cache would keep the query and its callers would run it (and read the database) on every hit. Return a materialized list (ToListAsync, ToArray).",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor Unstable = new(
        "TC1007",
        "A key or tag writes a value without stable text",
        "{0} on {1}: {2} is of type {3}, which has no stable text (only strings, numbers, enums, Guid, dates and times, and arrays or lists of those have it); {4}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor MatchesNothing = new(
        "TC1008",
        "An invalidation that matches no cached tag",
        "[InvalidateTags(\"{0}\")] on {1} matches no cached tag in cache '{2}': {3}",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: Help,
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor ScopeStateRead = new(
        "TC1009",
        "A cached method reads per-request state its keys do not vary by",
        "{0} is cached and reads the injected {1}, but nothing declares that its keys vary by it: one tenant's or user's value would be served to another. Register the service with EnableTagCaching(scope => scope.VaryBy(({2} s) => s.Id)) (or AddTagCaching<T>(scope => ...)), pass the value as an argument, or declare SharedAcrossScopes() if it truly does not differ.",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: Help,
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor SelfCall = new(
        "TC1006",
        "A cached method called on this bypasses the cache",
        "{0} calls {1} on this: the call does not go through the proxy, so its result is neither cached nor invalidated. Call it through the injected interface (inject a Lazy<{2}> or a factory), or move it to another service.",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: Help);

    public static readonly DiagnosticDescriptor NoDecorator = new(
        "TC1010",
        "No generated decorator for a service",
        "AddTagCaching<{0}>() gets no generated decorator: {1}. The registration falls back to a Castle proxy, which a trimmed or Native AOT application cannot make. Change the member, or keep the service out of AOT builds.",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: Help);
}
