// The install check's consumer: built outside the repository against the packed TagCache packages. .ci/run compares
// what it prints with expected.txt.
using Autofac;
using Microsoft.Extensions.DependencyInjection;
using TagCache;

var autofacCalls = new Calls();
var builder = new ContainerBuilder();
builder.AddTagCache(options => options.DefaultTimeout = TimeSpan.FromMinutes(5));
builder.RegisterInstance(autofacCalls);
builder.RegisterType<Greeter>().As<IGreeter>().SingleInstance().EnableTagCaching();
using (var container = builder.Build())
{
    Exercise("autofac", container.Resolve<IGreeter>(), autofacCalls);
}

var diCalls = new Calls();
var services = new ServiceCollection();
services.AddTagCache(options => options.AddCache("people"));
services.AddSingleton(diCalls);
services.AddSingleton<IGreeter, Greeter>();
services.AddTagCaching<IGreeter>();
using (var provider = services.BuildServiceProvider())
{
    var greeter = provider.GetRequiredService<IGreeter>();

    // TagCache.Core's package brings the source generator: AddTagCaching uses the decorator it wrote for IGreeter.
    Console.WriteLine($"microsoft-di: wrapped in {(greeter.GetType().Namespace == "TagCache.Generated" ? "the generated decorator" : "a Castle proxy")}");
    Exercise("microsoft-di", greeter, diCalls);
}

static void Exercise(string container, IGreeter greeter, Calls calls)
{
    var first = greeter.Greet("Ada");
    var second = greeter.Greet("Ada");
    Console.WriteLine($"{container}: {first} | {second} | runs {calls.Runs}");
    greeter.Rename("Ada");
    Console.WriteLine($"{container}: {greeter.Greet("Ada")} | runs {calls.Runs}");
}

public interface IGreeter
{
    [CacheWithTags("Person_{name}")]
    string Greet(string name);

    [InvalidateTags("Person_{name}")]
    void Rename(string name);
}

public sealed class Greeter(Calls calls) : IGreeter
{
    public string Greet(string name) => $"Hello {name} #{calls.Next()}";

    public void Rename(string name)
    {
    }
}

public sealed class Calls
{
    public int Runs { get; private set; }

    public int Next() => ++Runs;
}
