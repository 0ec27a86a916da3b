using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

/// <summary>
/// <see cref="TagShape.Overlaps"/> decides whether some tag fits two templates. It is checked here against brute force:
/// every string over a small alphabet up to a length, matched against both shapes as patterns.
/// </summary>
[TestClass]
public sealed class TagShapeTests
{
    [TestMethod]
    [DataRow("Product_{id}", "Product_{p.Id}", true, DisplayName = "same literal text, different names")]
    [DataRow("Product_{id}", "Product_42", true, DisplayName = "a literal tag a placeholder can produce")]
    [DataRow("Customers_{id}", "Customer_{id}", false, DisplayName = "misspelt literal")]
    [DataRow("Catalog", "Catalog", true, DisplayName = "equal literals")]
    [DataRow("Catalog", "catalog", false, DisplayName = "case matters, as for tags")]
    [DataRow("{category}", "Anything_{x}", true, DisplayName = "a bare placeholder produces every tag")]
    [DataRow("P_{a}_{b}", "P_{x}", true, DisplayName = "a value may itself hold the separator")]
    [DataRow("A_{x}_Z", "A_{y}_Y", false, DisplayName = "different literal suffix")]
    [DataRow("{x}_end", "start_{y}", true, DisplayName = "holes on opposite sides")]
    [DataRow("Day{d}", "Days_{d}", true, DisplayName = "a value may start with the extra letter")]
    public void Overlaps_TwoTemplates_TellsWhetherSomeTagFitsBoth(string a, string b, bool expected)
    {
        Assert.AreEqual(expected, TagShape.Parse(a).Overlaps(TagShape.Parse(b)));
        Assert.AreEqual(expected, TagShape.Parse(b).Overlaps(TagShape.Parse(a)), "symmetric");
    }

    [TestMethod]
    public void Overlaps_AllSmallShapes_AgreesWithBruteForce()
    {
        // Shapes over {a, b, hole} up to 4 tokens, strings over {a, b} up to 6 characters: every pair, both ways.
        var shapes = Shapes(4).ToList();
        var strings = Strings(6).ToList();
        foreach (var left in shapes)
        {
            foreach (var right in shapes)
            {
                var expected = strings.Any(s => Matches(left, s) && Matches(right, s));
                Assert.AreEqual(expected, TagShape.Parse(left).Overlaps(TagShape.Parse(right)), $"'{left}' and '{right}'");
            }
        }
    }

    [TestMethod]
    public void Shape_OfCompiledTemplate_HasAHoleForEachValueAndAngleAliases()
    {
        var template = TemplateCompiler.Compile("Product_{id}:<name>{{x}}", Scopes.Of(("id", typeof(int)), ("name", typeof(string))), TemplateKind.Tag);

        Assert.AreEqual("Product_{...}:{...}{x}", template.Shape.ToString());
    }

    [TestMethod]
    public void DistanceTo_MisspeltShape_IsTheEditCount()
    {
        Assert.AreEqual(1, TagShape.Parse("Customers_{id}").DistanceTo(TagShape.Parse("Customer_{o.Id}")));
    }

    [TestMethod]
    public void Parse_UnclosedBrace_ThrowsNamingTheTemplate()
    {
        var thrown = Assert.ThrowsExactly<ArgumentException>(() => TagShape.Parse("Product_{id"));

        StringAssert.Contains(thrown.Message, "'Product_{id'");
    }

    private static IEnumerable<string> Shapes(int length)
    {
        IEnumerable<string> shapes = [string.Empty];
        var all = new List<string>();
        for (var i = 0; i < length; i++)
        {
            shapes = [.. shapes.SelectMany(s => new[] { s + "a", s + "b", s + "{x}" })];
            all.AddRange(shapes);
        }

        return all;
    }

    private static IEnumerable<string> Strings(int length)
    {
        IEnumerable<string> strings = [string.Empty];
        var all = new List<string> { string.Empty };
        for (var i = 0; i < length; i++)
        {
            strings = [.. strings.SelectMany(s => new[] { s + "a", s + "b" })];
            all.AddRange(strings);
        }

        return all;
    }

    /// <summary>The shape as a regular expression, '{x}' being any text.</summary>
    private static bool Matches(string shape, string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^" + shape.Replace("{x}", ".*", StringComparison.Ordinal) + "$");
}
