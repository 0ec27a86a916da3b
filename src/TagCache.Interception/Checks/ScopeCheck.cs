using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using TagCache.Interception.Planning;
using TagCache.Templates;

namespace TagCache.Interception.Checks;

/// <summary>
/// The safe default for per-scope state: a cached method of a registration that can hold state of its scope (registered
/// per scope, or per dependency with a scoped dependency the container can see) must declare what its entries vary by, or
/// that they are shared across scopes, before the container builds; otherwise one tenant's or user's value would be served
/// to another. Also checks what a declaration needs: the states it reads are registered, and a singleton (resolved from the
/// root) does not read scoped state.
/// </summary>
internal static class ScopeCheck
{
    /// <param name="registration">The proxied registration.</param>
    /// <param name="cached">Its cached methods, each with the cache its attribute names.</param>
    /// <param name="options">The options, for the caches' own declarations; null when they are not known yet.</param>
    /// <param name="facts">What the container can tell about other registrations; null when it cannot.</param>
    /// <param name="complete">Whether <paramref name="facts"/> hold every registration (a state missing from them is missing).</param>
    /// <returns>One problem per registration at most for the undeclared case, plus one per unusable state.</returns>
    public static IEnumerable<PlanProblem> FindProblems(ProxiedRegistration registration, IReadOnlyList<(MethodInfo Method, string Cache)> cached, TagCacheOptions? options, IContainerFacts? facts, bool complete = true)
    {
        if (cached.Count == 0)
        {
            yield break;
        }

        var declared = registration.Declared is { IsDeclared: true } own ? own : null;
        foreach (var problem in registration.Declared?.FindProblems($"The scope declared for {registration.Name}") ?? [])
        {
            yield return new PlanProblem(registration.Name, problem);
        }

        if (registration.Lifetime is not { } lifetime)
        {
            yield break;
        }

        var dependency = registration.ImplementationType is { } implementation && facts is not null ? ScopedDependency.Find(implementation, facts) : null;
        if (declared is null && options is not null && (lifetime.Kind == LifetimeKind.Scoped || (lifetime.Kind == LifetimeKind.Transient && dependency is not null)))
        {
            var undeclared = cached.Where(c => options.ScopeFor(c.Cache) is null).Select(c => $"{c.Method.DeclaringType?.Name}.{c.Method.Name}").Distinct().ToList();
            if (undeclared.Count > 0)
            {
                yield return new PlanProblem(registration.Name, Undeclared(registration, lifetime, dependency, undeclared));
            }
        }

        if (facts is null || options is null && declared is null)
        {
            yield break;
        }

        var rules = cached.Select(c => declared ?? options!.ScopeFor(c.Cache)).OfType<TagCacheScopeOptions>().Distinct().ToList();
        foreach (var value in rules.SelectMany(r => r.Values).DistinctBy(v => v.StateType))
        {
            var state = facts.Find(value.StateType);
            if (state is null && complete)
            {
                yield return new PlanProblem(
                    registration.Name,
                    $"its entries vary by {value.StateType.Name} (VaryBy), but {value.StateType.Name} is not registered, so no scope could give it. " +
                    $"Register it (e.g. per scope), or vary by a service that is.");
            }
            else if (state is not null && lifetime.Kind == LifetimeKind.Singleton && state.Lifetime.Kind == LifetimeKind.Scoped)
            {
                yield return new PlanProblem(
                    registration.Name,
                    $"it is registered {lifetime.Text} and its entries vary by {value.StateType.Name}, which is registered {state.Lifetime.Text}: a singleton is " +
                    $"resolved from the root, so every call would read the root's {value.StateType.Name}, not the caller's. Register {registration.Name} " +
                    $"per scope, or vary by a singleton that reads the current request (e.g. IHttpContextAccessor), or declare {registration.Declaration("scope => scope.SharedAcrossScopes()")} if its values are the same for everyone.");
            }
        }
    }

    private static string Undeclared(ProxiedRegistration registration, Lifetime lifetime, (Type Type, Lifetime Lifetime)? dependency, List<string> methods)
    {
        var why = lifetime.Kind == LifetimeKind.Scoped
            ? $"is registered {lifetime.Text},"
            : $"is registered {lifetime.Text} and depends on {dependency!.Value.Type.Name}, which is registered {dependency.Value.Lifetime.Text},";
        var example = dependency is { } found ? Example(found.Type) : "(TenantContext t) => t.TenantId";
        return $"it {why} so it can hold state of the caller's scope (a tenant, the current user), and its cached method{(methods.Count == 1 ? string.Empty : "s")} " +
            $"{string.Join(", ", methods)} would share entries across scopes: one tenant or user would be served another's values. " +
            $"Declare what the entries vary by, e.g. {registration.Declaration($"scope => scope.VaryBy({example})")} (or options.Scope.VaryBy(...) for every " +
            $"cached method of a cache), or, if the values are the same for every scope, declare {registration.Declaration("scope => scope.SharedAcrossScopes()")}.";
    }

    /// <summary>A VaryBy lambda over the state's most key-like member, for the message.</summary>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private static string Example(Type state)
    {
        var member = state.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && ArgumentEquality.EqualsAgreesWithText(p.PropertyType))
            .OrderBy(p => p.Name.EndsWith("Id", StringComparison.Ordinal) ? 0 : 1)
            .Select(p => p.Name)
            .FirstOrDefault() ?? "Id";
        return $"({state.Name} s) => s.{member}";
    }
}

/// <summary>Finds, through constructors and the per-dependency services they take, a dependency that lives per scope.</summary>
internal static class ScopedDependency
{
    private const int MaxDepth = 6;

    // Whoever takes these can resolve anything of the scope it was made in.
    private static readonly HashSet<string> ScopeAccess = new(StringComparer.Ordinal)
    {
        "System.IServiceProvider", "Autofac.ILifetimeScope", "Autofac.IComponentContext",
    };

    /// <returns>The scoped dependency and its lifetime, or null when none can be seen.</returns>
    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    public static (Type Type, Lifetime Lifetime)? Find(Type implementation, IContainerFacts facts)
    {
        var visited = new HashSet<Type>();
        return Find(implementation, facts, visited, 0);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = Templates.Reflected.KeptByGenerator)]
    private static (Type Type, Lifetime Lifetime)? Find(Type implementation, IContainerFacts facts, HashSet<Type> visited, int depth)
    {
        if (depth > MaxDepth || !visited.Add(implementation) || implementation.ContainsGenericParameters)
        {
            return null;
        }

        // The constructor a container takes: the public one with the most parameters.
        var constructor = implementation.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault();
        foreach (var parameter in constructor?.GetParameters() ?? [])
        {
            var type = parameter.ParameterType;
            if (type.FullName is { } name && ScopeAccess.Contains(name))
            {
                return (type, new Lifetime(LifetimeKind.Scoped, "per scope (it is the resolving scope itself)"));
            }

            if (facts.Find(type) is not { } dependency)
            {
                continue;
            }

            if (dependency.Lifetime.Kind == LifetimeKind.Scoped)
            {
                return (type, dependency.Lifetime);
            }

            if (dependency.Lifetime.Kind == LifetimeKind.Transient && dependency.ImplementationType is { } next && Find(next, facts, visited, depth + 1) is { } deeper)
            {
                return deeper;
            }
        }

        return null;
    }
}
