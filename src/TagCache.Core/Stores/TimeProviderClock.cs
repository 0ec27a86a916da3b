using Microsoft.Extensions.Internal;

namespace TagCache.Stores;

/// <summary>
/// Lets the memory cache decide expiry with the injected <see cref="TimeProvider"/>. It reads its clock on every lookup
/// anyway, so expiry costs a hit nothing extra and tests can move time.
/// </summary>
internal sealed class TimeProviderClock(TimeProvider time) : ISystemClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
