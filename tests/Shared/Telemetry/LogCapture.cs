using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace TagCache.Testing;

/// <summary>A logger factory whose loggers are <see cref="FakeLogger"/>s writing to one collector, at every level.</summary>
public sealed class LogCapture : IDisposable
{
    private readonly FakeLoggerProvider _provider;

    public LogCapture()
    {
        _provider = new FakeLoggerProvider();
        Factory = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_provider));
    }

    /// <summary>Gets the factory to hand the code under test.</summary>
    public ILoggerFactory Factory { get; }

    /// <summary>Gets everything logged so far, in order.</summary>
    public IReadOnlyList<FakeLogRecord> Records => _provider.Collector.GetSnapshot();

    public void Dispose()
    {
        Factory.Dispose();
        _provider.Dispose();
    }
}
