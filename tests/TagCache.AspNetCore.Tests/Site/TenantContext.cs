namespace TagCache.AspNetCore.Tests.Site;

/// <summary>The request's tenant, set by the tenant site's middleware from a header.</summary>
public sealed class TenantContext
{
    public string? TenantId { get; set; }
}
