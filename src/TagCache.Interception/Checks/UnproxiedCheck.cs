namespace TagCache.Interception.Checks;

/// <summary>
/// Finds registrations of services whose methods carry TagCache's attributes but which TagCache does not proxy (a
/// forgotten <c>EnableTagCaching()</c> or <c>AddTagCaching&lt;T&gt;()</c>): they would cache and invalidate nothing, silently.
/// </summary>
internal static class UnproxiedCheck
{
    /// <param name="facts">Every registration of the container.</param>
    /// <param name="fix">How the container's user proxies a service, given its name: <c>services.AddTagCaching&lt;IProducts&gt;()</c>.</param>
    /// <returns>One finding per unproxied service.</returns>
    public static IReadOnlyList<string> Find(IContainerFacts facts, Func<Type, string> fix)
    {
        var attributes = new TagCacheAttributes();
        var findings = new List<string>();
        foreach (var registration in facts.Registrations.Where(r => !r.Proxied))
        {
            // Only interfaces: TagCache proxies nothing else, and a class registered as itself is often the target another,
            // proxied, registration forwards to.
            foreach (var service in registration.Services.Distinct().Where(s => s.IsInterface))
            {
                var methods = attributes.Of(service, registration.ImplementationType);
                if (methods.Count == 0)
                {
                    continue;
                }

                var implementation = registration.ImplementationType is { } type && type != service ? $" (implemented by {type.Name})" : string.Empty;
                findings.Add(
                    $"{service.Name}{implementation} is registered without TagCache's proxy, so its TagCache methods ({string.Join(", ", methods)}) cache and " +
                    $"invalidate nothing. Proxy it with {fix(service)}.");
            }
        }

        return [.. findings.Distinct()];
    }
}
