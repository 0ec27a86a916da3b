using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

/// <summary>Bumps a method's <see cref="InvalidateTagsAttribute"/> tags; called only once the method has succeeded.</summary>
internal static class Invalidation
{
    public static void Invalidate(MethodPlan plan, object?[] arguments, object? result)
    {
        foreach (var invalidation in plan.Invalidations)
        {
            invalidation.Invalidate(arguments, result);
        }
    }

    public static async ValueTask InvalidateAsync(MethodPlan plan, object?[] arguments, object? result)
    {
        foreach (var invalidation in plan.Invalidations)
        {
            await invalidation.InvalidateAsync(arguments, result).ConfigureAwait(false);
        }
    }

    /// <summary>The method's task, followed by its invalidation once it has succeeded.</summary>
    public static async Task<T> After<T>(Task<T> task, MethodPlan plan, object?[] arguments)
    {
        var result = await task.ConfigureAwait(false);
        await InvalidateAsync(plan, arguments, result).ConfigureAwait(false);
        return result;
    }

    /// <summary>The method's task, followed by its invalidation once it has succeeded.</summary>
    public static async Task After(Task task, MethodPlan plan, object?[] arguments)
    {
        await task.ConfigureAwait(false);
        await InvalidateAsync(plan, arguments, result: null).ConfigureAwait(false);
    }
}
