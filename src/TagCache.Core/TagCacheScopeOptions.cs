using TagCache.Scopes;

namespace TagCache;

/// <summary>
/// What cached entries vary by besides a method's arguments: state of the caller's scope (the tenant, the current user),
/// read from that scope's container at every call, or nothing, declared explicitly. The counterpart of ASP.NET Core
/// output caching's vary-by-value, for services.
/// </summary>
/// <remarks>
/// A cached method of a service that can hold per-scope state (registered per scope, or per dependency with a scoped
/// dependency) fails the container build until one of the two is declared, for the service
/// (<c>EnableTagCaching(scope =&gt; ...)</c>, <c>AddTagCaching&lt;T&gt;(scope =&gt; ...)</c>), for a named cache
/// (<see cref="NamedCacheOptions.Scope"/>) or for every cache (<see cref="TagCacheOptions.Scope"/>); a service's declaration
/// replaces its caches'. Tags are not partitioned unless <see cref="PartitionTags"/> is set: invalidating <c>Product_5</c>
/// from one tenant's scope invalidates every tenant's <c>Product_5</c> entries, which is safe (a recomputation), never stale.
/// </remarks>
public sealed class TagCacheScopeOptions
{
    private readonly List<ScopeValue> _values = [];
    private ScopeRule? _rule;

    /// <summary>Gets a value indicating whether the entries are declared the same for every scope.</summary>
    public bool IsSharedAcrossScopes { get; private set; }

    /// <summary>
    /// Gets or sets a value indicating whether tags are kept per scope value as well: an entry computed in a scope also
    /// carries each tag suffixed with the scope's values, and an <see cref="InvalidateTagsAttribute"/> method of a service in
    /// such a scope invalidates only that scope's entries. An invalidation from anywhere else (<see cref="ITagCache.InvalidateTags"/>,
    /// <see cref="ICacheSweeper"/>, a service without this scope) still reaches every scope's entries.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: one tag for every scope.</value>
    public bool PartitionTags
    {
        get;
        set
        {
            field = value;
            _rule = null;
        }
    }

    /// <summary>Gets a value indicating whether the entries' relation to the scope is declared (varying, or shared).</summary>
    public bool IsDeclared => IsSharedAcrossScopes || _values.Count > 0;

    /// <summary>
    /// Makes every key vary by a value of <typeparamref name="TState"/>, a service resolved from the caller's scope and read at
    /// every call: <c>scope.VaryBy((TenantContext t) =&gt; t.TenantId)</c>. Call it again to vary by several values.
    /// </summary>
    /// <typeparam name="TState">The scope's service that holds the state, e.g. a tenant context or an accessor.</typeparam>
    /// <typeparam name="TValue">
    /// The value: a string, number, <see cref="Guid"/>, <see langword="bool"/>, <see langword="char"/>, enum,
    /// <see cref="TimeSpan"/>, <see cref="DateOnly"/> or <see cref="TimeOnly"/> (or a nullable form); <see langword="null"/> is a value
    /// of its own, shared by every scope that has none.
    /// </typeparam>
    /// <param name="value">Reads the value; called on every call of a cached method, so keep it cheap.</param>
    /// <returns>These options, for chaining.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TValue"/> is a type whose text does not identify its value.</exception>
    public TagCacheScopeOptions VaryBy<TState, TValue>(Func<TState, TValue> value)
        where TState : notnull
    {
        ArgumentNullException.ThrowIfNull(value);
        _values.Add(ScopeValue.Create(value, _values.Count(v => v.StateType == typeof(TState))));
        _rule = null;
        return this;
    }

    /// <summary>Makes every key vary by a string read from <typeparamref name="TState"/>, a service of the caller's scope.</summary>
    /// <typeparam name="TState">The scope's service that holds the state.</typeparam>
    /// <param name="value">Reads the value on every call, e.g. <c>t =&gt; t.TenantId</c>.</param>
    /// <returns>These options, for chaining.</returns>
    public TagCacheScopeOptions VaryBy<TState>(Func<TState, string?> value)
        where TState : notnull => VaryBy<TState, string?>(value);

    /// <summary>
    /// Declares that the entries are the same whatever scope computes them (the service reads no tenant, user or request
    /// state), so a scoped service may share them across scopes.
    /// </summary>
    /// <returns>These options, for chaining.</returns>
    public TagCacheScopeOptions SharedAcrossScopes()
    {
        IsSharedAcrossScopes = true;
        return this;
    }

    /// <summary>Gets the values declared with <see cref="VaryBy{TState, TValue}"/>, in order.</summary>
    internal IReadOnlyList<ScopeValue> Values => _values;

    /// <summary>Gets what keys vary by: null when shared, undeclared, or contradictory (see <see cref="FindProblems"/>).</summary>
    internal ScopeRule? Rule => IsSharedAcrossScopes || _values.Count == 0 ? null : _rule ??= new ScopeRule([.. _values], PartitionTags);

    /// <summary>Describes contradictions in these options.</summary>
    /// <param name="owner">Where they were declared, for messages.</param>
    internal IEnumerable<string> FindProblems(string owner)
    {
        if (IsSharedAcrossScopes && _values.Count > 0)
        {
            yield return $"{owner} declares both SharedAcrossScopes() and VaryBy(...); keep the one that is true.";
        }

        if (PartitionTags && _values.Count == 0)
        {
            yield return $"{owner} sets PartitionTags without VaryBy(...); tags can only be partitioned by values the keys vary by.";
        }
    }
}
