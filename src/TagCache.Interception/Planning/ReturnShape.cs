namespace TagCache.Interception.Planning;

/// <summary>How a method hands back its result; decides which handler intercepts it.</summary>
internal enum ReturnShape
{
    Void,
    Value,
    Task,
    TaskOfValue,
    ValueTask,
    ValueTaskOfValue,
}
