namespace TagCache.Interception.Handlers;

/// <summary>How far one call's target got, so a cache fault never makes the target run twice for one call.</summary>
internal enum TargetState
{
    NotStarted,
    Running,
    Succeeded,
    Failed,
}
