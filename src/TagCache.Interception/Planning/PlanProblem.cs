namespace TagCache.Interception.Planning;

/// <summary>One misconfiguration of one method, worded so the message alone says what to change.</summary>
internal sealed record PlanProblem(string Method, string Description)
{
    public override string ToString() => $"{Method}: {Description}";
}
