namespace TagCache.Interception.Planning;

internal static class ReturnShapes
{
    /// <summary>Classifies <paramref name="returnType"/>; <paramref name="valueType"/> is the result a caller gets, unwrapped from tasks.</summary>
    public static ReturnShape Classify(Type returnType, out Type? valueType)
    {
        valueType = null;
        if (returnType == typeof(void))
        {
            return ReturnShape.Void;
        }

        if (returnType == typeof(Task))
        {
            return ReturnShape.Task;
        }

        if (returnType == typeof(ValueTask))
        {
            return ReturnShape.ValueTask;
        }

        if (returnType.IsGenericType)
        {
            var definition = returnType.GetGenericTypeDefinition();
            if (definition == typeof(Task<>) || definition == typeof(ValueTask<>))
            {
                valueType = returnType.GetGenericArguments()[0];
                return definition == typeof(Task<>) ? ReturnShape.TaskOfValue : ReturnShape.ValueTaskOfValue;
            }
        }

        valueType = returnType;
        return ReturnShape.Value;
    }

    /// <summary>The result a caller gets from a method returning <paramref name="returnType"/>, unwrapped from tasks.</summary>
    public static Type ValueTypeOf(Type returnType)
    {
        Classify(returnType, out var valueType);
        return valueType ?? typeof(void);
    }

    public static bool HasResult(this ReturnShape shape) => shape is ReturnShape.Value or ReturnShape.TaskOfValue or ReturnShape.ValueTaskOfValue;
}
