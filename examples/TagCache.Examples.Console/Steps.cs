namespace TagCache.Examples.Console;

/// <summary>Runs one step and prints whether it was a hit or a miss, judged by whether the database was read.</summary>
public static class Steps
{
    public static T Run<T>(FakeDatabase database, string step, Func<T> call)
    {
        var before = database.Reads;
        var value = call();
        Print(step, database.Reads - before, value);
        return value;
    }

    public static async Task<T> RunAsync<T>(FakeDatabase database, string step, Func<Task<T>> call)
    {
        var before = database.Reads;
        var value = await call();
        Print(step, database.Reads - before, value);
        return value;
    }

    public static void Section(string title)
    {
        System.Console.WriteLine();
        System.Console.WriteLine("== " + title);
    }

    public static void Note(string text) => System.Console.WriteLine("   " + text);

    private static void Print<T>(string step, int reads, T value)
    {
        var outcome = reads == 0 ? "hit" : $"miss (loaded from db, {reads} read{(reads == 1 ? "" : "s")})";
        var shown = value is not string && value is IEnumerable<object> items ? string.Join(", ", items) : value?.ToString();
        System.Console.WriteLine($"   {step,-52} {outcome,-34} -> {shown}");
    }
}
