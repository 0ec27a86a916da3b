using TagCache.Interception.Planning;
using TagCache.Scopes;
using TagCache.Tags;

namespace TagCache.Interception.Handlers;

/// <summary>Bumps a method's <see cref="InvalidateTagsAttribute"/> tags; called only once the method has succeeded.</summary>
internal static class Invalidation
{
    /// <remarks>
    /// Every attribute's invalidation is applied even when one fails (a shared version store that cannot be reached still
    /// invalidates locally, then throws): one failure must not leave the other caches' entries standing.
    /// </remarks>
    public static void Invalidate(MethodPlan plan, object?[] arguments, object? result, ProxyScope? scope)
    {
        List<Exception>? failures = null;
        foreach (var invalidation in plan.Invalidations)
        {
            try
            {
                invalidation.Invalidate(arguments, result, scope);
            }
            catch (Exception exception)
            {
                InvalidationFailures.Add(ref failures, exception);
            }
        }

        InvalidationFailures.ThrowIfAny(failures);
    }

    public static async ValueTask InvalidateAsync(MethodPlan plan, object?[] arguments, object? result, ProxyScope? scope)
    {
        List<Exception>? failures = null;
        foreach (var invalidation in plan.Invalidations)
        {
            try
            {
                await invalidation.InvalidateAsync(arguments, result, scope).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                InvalidationFailures.Add(ref failures, exception);
            }
        }

        InvalidationFailures.ThrowIfAny(failures);
    }


    /// <summary>The method's task, followed by its invalidation once it has succeeded.</summary>
    public static async Task<T> After<T>(Task<T> task, MethodPlan plan, object?[] arguments, ProxyScope? scope)
    {
        var result = await task.ConfigureAwait(false);
        await InvalidateAsync(plan, arguments, result, scope).ConfigureAwait(false);
        return result;
    }

    /// <summary>The method's task, followed by its invalidation once it has succeeded.</summary>
    public static async Task After(Task task, MethodPlan plan, object?[] arguments, ProxyScope? scope)
    {
        await task.ConfigureAwait(false);
        await InvalidateAsync(plan, arguments, result: null, scope).ConfigureAwait(false);
    }
}
