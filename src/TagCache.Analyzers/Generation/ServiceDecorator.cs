using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TagCache.Analyzers.Generation;

/// <summary>What the generator found for one service: its decorator's source, or why it has none. Equal by value, so the
/// generator's pipeline caches it between edits.</summary>
internal sealed class ServiceDecorator : IEquatable<ServiceDecorator>
{
    public ServiceDecorator(string displayName, string hintName, string? source, Refusal? refusal)
    {
        DisplayName = displayName;
        HintName = hintName;
        Source = source;
        Refusal = refusal;
    }

    public string DisplayName { get; }

    public string HintName { get; }

    public string? Source { get; }

    public Refusal? Refusal { get; }

    public bool Equals(ServiceDecorator? other) =>
        other is not null && HintName == other.HintName && Source == other.Source && Equals(Refusal, other.Refusal);

    public override bool Equals(object? obj) => Equals(obj as ServiceDecorator);

    public override int GetHashCode() => HintName.GetHashCode();
}

/// <summary>Why a service gets no decorator, and the registration that asked for one (where the diagnostic goes).</summary>
internal sealed class Refusal : IEquatable<Refusal>
{
    public Refusal(string reason, LocationInfo location)
    {
        Reason = reason;
        Location = location;
    }

    public string Reason { get; }

    public LocationInfo Location { get; }

    public bool Equals(Refusal? other) => other is not null && Reason == other.Reason && Location.Equals(other.Location);

    public override bool Equals(object? obj) => Equals(obj as Refusal);

    public override int GetHashCode() => Reason.GetHashCode();
}

/// <summary>A location without the syntax tree it came from, which a cached pipeline value must not hold.</summary>
internal sealed class LocationInfo : IEquatable<LocationInfo>
{
    private LocationInfo(string path, TextSpan span, LinePositionSpan lines)
    {
        Path = path;
        Span = span;
        Lines = lines;
    }

    public string Path { get; }

    public TextSpan Span { get; }

    public LinePositionSpan Lines { get; }

    public static LocationInfo From(Location location) =>
        new(location.SourceTree?.FilePath ?? string.Empty, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(Path, Span, Lines);

    public bool Equals(LocationInfo? other) => other is not null && Path == other.Path && Span == other.Span;

    public override bool Equals(object? obj) => Equals(obj as LocationInfo);

    public override int GetHashCode() => Span.GetHashCode();
}
