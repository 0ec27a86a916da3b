using System.Collections.Concurrent;

namespace TagCache.Testing;

/// <summary>The shape every multi-tenant SaaS writes: per-request state, set by middleware after the scope is made.</summary>
public sealed class TenantContext
{
    public string? TenantId { get; set; }
}

/// <summary>Per-request state of another kind, for services that vary by two values.</summary>
public sealed class UserContext
{
    public int UserId { get; set; }
}

/// <summary>A tenant's invoices: what one tenant must never see of another's.</summary>
public interface IInvoices
{
    [CacheWithTags("Invoices_{customerId}")]
    IReadOnlyList<string> List(int customerId);

    [CacheWithTags("Invoices_{customerId}")]
    Task<IReadOnlyList<string>> ListAsync(int customerId);

    [CacheWithTags("Invoice_{id}", Key = "invoice:{id}")]
    ValueTask<string> GetAsync(int id);

    [InvalidateTags("Invoices_{customerId}")]
    void Add(int customerId, string invoice);
}

/// <summary>Reads the tenant from its scope, as a repository behind a tenant-filtered DbContext would.</summary>
public sealed class InvoiceService(TenantContext tenant, InvoiceStore store) : IInvoices
{
    public IReadOnlyList<string> List(int customerId) => store.Read(tenant.TenantId, customerId);

    public Task<IReadOnlyList<string>> ListAsync(int customerId) => Task.FromResult(store.Read(tenant.TenantId, customerId));

    public ValueTask<string> GetAsync(int id) => new(store.Count(tenant.TenantId, id));

    public void Add(int customerId, string invoice) => store.Add(tenant.TenantId, customerId, invoice);
}

/// <summary>A transient service that depends on a scoped one: it holds per-scope state too.</summary>
public sealed class TransientInvoices(InvoiceService inner) : IInvoices
{
    public IReadOnlyList<string> List(int customerId) => inner.List(customerId);

    public Task<IReadOnlyList<string>> ListAsync(int customerId) => inner.ListAsync(customerId);

    public ValueTask<string> GetAsync(int id) => inner.GetAsync(id);

    public void Add(int customerId, string invoice) => inner.Add(customerId, invoice);
}

/// <summary>Every tenant's invoices, and how often each was read.</summary>
public sealed class InvoiceStore
{
    private readonly ConcurrentDictionary<(string? Tenant, int Customer), List<string>> _rows = new();
    private int _reads;

    public int Reads => Volatile.Read(ref _reads);

    public IReadOnlyList<string> Read(string? tenant, int customer)
    {
        Interlocked.Increment(ref _reads);
        lock (_rows)
        {
            return [.. _rows.GetValueOrDefault((tenant, customer)) ?? []];
        }
    }

    public string Count(string? tenant, int id)
    {
        Interlocked.Increment(ref _reads);
        return $"{tenant}:{id}";
    }

    public void Add(string? tenant, int customer, string invoice)
    {
        lock (_rows)
        {
            _rows.GetOrAdd((tenant, customer), _ => []).Add(invoice);
        }
    }
}
