using TagCache.Interception.Planning;

namespace TagCache.Interception.Handlers;

internal static class ReturnHandlers
{
    /// <summary>Creates the handler for a return shape; reflection happens here, once per method, never per call.</summary>
    public static ReturnHandler Create(ReturnShape shape, Type? valueType) => shape switch
    {
        ReturnShape.Void => new VoidHandler(),
        ReturnShape.Task => new TaskHandler(),
        ReturnShape.ValueTask => new ValueTaskHandler(),
        ReturnShape.Value => Generic(typeof(ResultHandler<>), valueType),
        ReturnShape.TaskOfValue => Generic(typeof(TaskResultHandler<>), valueType),
        ReturnShape.ValueTaskOfValue => Generic(typeof(ValueTaskResultHandler<>), valueType),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "Unknown return shape."),
    };

    private static ReturnHandler Generic(Type definition, Type? valueType) =>
        (ReturnHandler)Activator.CreateInstance(definition.MakeGenericType(valueType!))!;
}
