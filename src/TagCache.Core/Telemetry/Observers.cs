using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace TagCache.Telemetry;

/// <summary>
/// Telemetry is an observer: whatever a meter listener or an activity listener does when it is told something (throw,
/// say), the call it observes goes on with its own outcome, and a computation's flight still completes. Every measurement
/// and activity TagCache records goes through here; logs go through <see cref="SafeLogger"/>.
/// </summary>
internal static class Observers
{
    /// <summary>Gets a value indicating whether an observer's exception is swallowed: all but running out of memory.</summary>
    public static bool Swallow(Exception exception) => exception is not OutOfMemoryException;

    // Not inlined: the try block stays off the callers' hot paths, which call this only when someone listens.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Add(Counter<long> counter, long value, KeyValuePair<string, object?>[] tags)
    {
        try
        {
            counter.Add(value, tags);
        }
        catch (Exception exception) when (Swallow(exception))
        {
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Record(Histogram<double> histogram, double value, KeyValuePair<string, object?>[] tags)
    {
        try
        {
            histogram.Record(value, tags);
        }
        catch (Exception exception) when (Swallow(exception))
        {
        }
    }

    /// <summary>Starts an activity if anyone listens; a listener that throws leaves none, and the current activity as it was.</summary>
    /// <param name="source">The activity source.</param>
    /// <param name="name">The activity's name.</param>
    /// <param name="previous">The activity that was current, to restore when this one stops.</param>
    public static Activity? Start(ActivitySource source, string name, out Activity? previous)
    {
        previous = Activity.Current;
        if (!source.HasListeners())
        {
            return null;
        }

        try
        {
            return source.StartActivity(name, ActivityKind.Internal);
        }
        catch (Exception exception) when (Swallow(exception))
        {
            Activity.Current = previous;
            return null;
        }
    }

    /// <summary>Stops an activity; a listener that throws leaves <paramref name="previous"/> current, as stopping would.</summary>
    public static void Stop(Activity activity, Activity? previous)
    {
        try
        {
            activity.Dispose();
        }
        catch (Exception exception) when (Swallow(exception))
        {
            Activity.Current = previous;
        }
    }
}

/// <summary>A logger whose sink cannot fail the code that logs: what it throws is swallowed (see <see cref="Observers"/>).</summary>
internal sealed class SafeLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        try
        {
            return inner.BeginScope(state);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            return null;
        }
    }

    public bool IsEnabled(LogLevel logLevel)
    {
        try
        {
            return inner.IsEnabled(logLevel);
        }
        catch (Exception exception) when (Observers.Swallow(exception))
        {
            return false;
        }
    }

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
        catch (Exception failure) when (Observers.Swallow(failure))
        {
        }
    }

    /// <summary>The logger, made safe unless it already is.</summary>
    public static ILogger Of(ILogger logger) => logger as SafeLogger ?? new SafeLogger(logger);
}
