using TagCache.Templates;

namespace TagCache.Core.Tests.Templates;

[TestClass]
public sealed class TemplateCompilerTests
{
    private static readonly Product SampleProduct = new() { Id = 7, Name = "Pen", Category = new Category { Id = 3, Name = "Office" } };

    [TestMethod]
    [DataRow("Product_{id}", "Product_42")]
    [DataRow("Product_<id>", "Product_42")]
    [DataRow("{name}", "Widget")]
    [DataRow("{product.Id}:{product.Category.Name}", "7:Office")]
    [DataRow("<product.Category.Id>-<name>", "3-Widget")]
    [DataRow("{{{id}}}", "{42}")]
    [DataRow("{{literal}}", "{literal}")]
    [DataRow("List<int>_{id}", "List<int>_42")]
    [DataRow("<unknown>_{id}", "<unknown>_42")]
    [DataRow("a<b_{id}>c", "a<b_42>c")]
    [DataRow("<id", "<id")]
    [DataRow("Plain", "Plain")]
    public void Compile_EachSyntaxForm_FormatsAsDocumented(string template, string expected)
    {
        foreach (var kind in new[] { TemplateKind.Tag, TemplateKind.Key })
        {
            var sut = TemplateCompiler.Compile(template, Scopes.Standard(), kind);

            Assert.AreEqual(expected, sut.Format([42, "Widget", SampleProduct]), $"kind {kind}");
            Assert.AreEqual(template, sut.Text);
            Assert.IsFalse(sut.UsesResult);
        }
    }

    [TestMethod]
    [DataRow("Category_{result.Category.Id}", "Category_3")]
    [DataRow("Category_<result.Category.Id>", "Category_3")]
    [DataRow("P{result.Id}_{id}", "P7_42")]
    public void Compile_ResultInTagTemplate_FormatsReturnValue(string template, string expected)
    {
        var sut = TemplateCompiler.Compile(template, Scopes.Standard(typeof(Product)), TemplateKind.Tag);

        Assert.IsTrue(sut.UsesResult);
        Assert.AreEqual(expected, sut.Format([42, "x", null], SampleProduct));
    }

    [TestMethod]
    [DataRow(true, "Remove it from the Key")]
    [DataRow(false, "Remove it from the tag")]
    public void Compile_CancellationTokenPlaceholder_SaysToRemoveItInsteadOfSuggestingAMember(bool key, string fix)
    {
        var scope = Scopes.Of(("id", typeof(int)), ("ct", typeof(CancellationToken)));

        var thrown = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile("Order_{id}_{ct}", scope, key ? TemplateKind.Key : TemplateKind.Tag));

        Assert.Contains("{ct} is a CancellationToken, which says how long the caller waits, not what is computed", thrown.Message);
        Assert.Contains(fix, thrown.Message);
        Assert.DoesNotContain("CanBeCanceled", thrown.Message);
    }

    [TestMethod]
    public void Compile_ScalarResult_FormatsReturnValue()
    {
        var sut = TemplateCompiler.Compile("Count_{result}", Scopes.Of(typeof(int)), TemplateKind.Tag);

        Assert.AreEqual("Count_5", sut.Format([], 5));
        Assert.AreEqual("Count_\u2205", sut.Format([], null));
    }

    [TestMethod]
    public void Compile_PublicField_IsReadable()
    {
        var sku = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var sut = TemplateCompiler.Compile("Sku_{product.Sku}", Scopes.Standard(), TemplateKind.Key);

        Assert.AreEqual("Sku_0f8fad5b-d9cb-469f-a165-70867728950e", sut.Format([1, "x", new Product { Sku = sku }]));
    }

    [TestMethod]
    [DataRow("", 0, "the template is empty")]
    [DataRow("   ", 0, "the template is empty")]
    [DataRow("Product_{id", 8, "'{' is not closed")]
    [DataRow("Product_{id{name}", 8, "'{' is not closed")]
    [DataRow("Product_id}", 10, "'}' has no matching '{'")]
    [DataRow("Product_{}", 8, "the placeholder '{}' is empty")]
    [DataRow("Product_{ id }", 8, "'{ id }' is not a parameter name or member path")]
    [DataRow("Product_{id.}", 8, "'{id.}' is not a parameter name or member path")]
    [DataRow("Product_{1d}", 8, "'{1d}' is not a parameter name or member path")]
    [DataRow("Product_{idd}", 8, "unknown name 'idd'. Known names: id, name, product")]
    [DataRow("Product_{product.Nmae}", 8, "type 'TagCache.Core.Tests.Templates.Product' has no public property or field 'Nmae' (in 'product.Nmae'). Available: Category, Id, Name, Sku")]
    [DataRow("Product_{product.Category.Title}", 8, "no public property or field 'Title'")]
    [DataRow("Product_<product.Nmae>", 8, "no public property or field 'Nmae'")]
    [DataRow("Product_{product}", 8, "{product} is of type 'TagCache.Core.Tests.Templates.Product', which has no stable formatting")]
    [DataRow("Product_{product.Category}", 8, "has no stable formatting")]
    [DataRow("Product_{result}", 8, "{result} is not available: the method returns no value")]
    [DataRow("Product_\t{id}", 8, "control character U+0009 is not allowed")]
    public void Compile_InvalidTagTemplate_ThrowsWithPositionAndFix(string template, int position, string problem)
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile(template, Scopes.Standard(), TemplateKind.Tag));

        Assert.AreEqual(template, ex.Template);
        Assert.AreEqual(position, ex.Position);
        Assert.Contains($"Template '{template}' at position {position}: ", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [TestMethod]
    [DataRow("Product_{idd}", "Write {id}.")]
    [DataRow("Product_{Name}", "Write {name}.")]
    [DataRow("Product_{product.Nmae}", "Write {product.Name}.")]
    [DataRow("Product_{product}", "e.g. {product.Id}")]
    [DataRow("Product_{product.Category}", "e.g. {product.Category.Id}")]
    [DataRow("Product_{id", "write '{{' for a literal '{'")]
    [DataRow("Product_id}", "Write '}}' for a literal '}'")]
    [DataRow("Product_{}", "e.g. {id}")]
    public void Compile_InvalidTemplate_MessageNamesTheFix(string template, string fix)
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile(template, Scopes.Standard(), TemplateKind.Tag));

        Assert.Contains(fix, ex.Message);
    }

    [TestMethod]
    [DataRow("{id}{name}", 4, "placeholders {id} and {name} are adjacent", "{id}_{name}")]
    [DataRow("P_<id><name>", 6, "placeholders {id} and {name} are adjacent", "{id}_{name}")]
    [DataRow("P_{id}\u2205", 6, "cannot contain '\u2205'", "Remove it")]
    [DataRow("P\\{id}", 1, "cannot contain '\\'", "Use another separator")]
    [DataRow("P_{result}", 2, "a key cannot use {result}", "Use parameters only")]
    public void Compile_InvalidKeyTemplate_ThrowsWithPositionAndFix(string template, int position, string problem, string fix)
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile(template, Scopes.Standard(), TemplateKind.Key));

        Assert.AreEqual(position, ex.Position);
        Assert.Contains($"Template '{template}' at position {position}: ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Contains(fix, ex.Message);
    }

    [TestMethod]
    [DataRow("{id}{name}")]
    [DataRow("P_{id}\u2205")]
    [DataRow("a\\b{id}")]
    public void Compile_KeyOnlyRules_DoNotApplyToTags(string template)
    {
        var sut = TemplateCompiler.Compile(template, Scopes.Standard(), TemplateKind.Tag);

        Assert.IsNotNull(sut);
    }

    [TestMethod]
    public void Compile_ResultInKeyEvenWithResultType_Throws()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(
            () => TemplateCompiler.Compile("K_{result}", Scopes.Standard(typeof(int)), TemplateKind.Key));

        Assert.Contains("a key cannot use {result}", ex.Message);
    }

    [TestMethod]
    public void Compile_ParameterNamedResultWithResultType_ThrowsAmbiguous()
    {
        var scope = Scopes.Of(typeof(int), ("result", typeof(int)));

        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile("T_{result}", scope, TemplateKind.Tag));

        Assert.Contains("ambiguous", ex.Message);
        Assert.Contains("Rename the parameter", ex.Message);
    }

    [TestMethod]
    public void Compile_ParameterNamedResultWithoutResultType_UsesParameter()
    {
        var sut = TemplateCompiler.Compile("T_{result}", Scopes.Of(("result", typeof(int))), TemplateKind.Key);

        Assert.AreEqual("T_9", sut.Format([9]));
        Assert.IsFalse(sut.UsesResult);
    }

    [TestMethod]
    public void Compile_NullTemplate_Throws()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile(null!, Scopes.Standard(), TemplateKind.Tag));

        Assert.Contains("the template is null", ex.Message);
        Assert.Contains("Product_{id}", ex.Message);
    }

    [TestMethod]
    public void Compile_UnknownNameWithoutParameters_SaysThereAreNone()
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile("T_{id}", Scopes.Of(), TemplateKind.Tag));

        Assert.Contains("Known names: (none)", ex.Message);
    }

    [TestMethod]
    [DataRow(typeof(object))]
    [DataRow(typeof(Dictionary<string, int>))]
    [DataRow(typeof(object[]))]
    [DataRow(typeof(List<Product>))]
    [DataRow(typeof(KeyValuePair<int, int>))]
    [DataRow(typeof(Uri))]
    public void Compile_UnsupportedType_Throws(Type type)
    {
        var ex = Assert.ThrowsExactly<TemplateException>(() => TemplateCompiler.Compile("T_{value}", Scopes.Of(("value", type)), TemplateKind.Key));

        Assert.Contains("has no stable formatting", ex.Message);
        Assert.Contains("or set a Key template", ex.Message);
    }

    [TestMethod]
    [DataRow(typeof(string))]
    [DataRow(typeof(char))]
    [DataRow(typeof(bool))]
    [DataRow(typeof(byte))]
    [DataRow(typeof(sbyte))]
    [DataRow(typeof(short))]
    [DataRow(typeof(ushort))]
    [DataRow(typeof(int))]
    [DataRow(typeof(uint))]
    [DataRow(typeof(long))]
    [DataRow(typeof(ulong))]
    [DataRow(typeof(Int128))]
    [DataRow(typeof(float))]
    [DataRow(typeof(double))]
    [DataRow(typeof(decimal))]
    [DataRow(typeof(Color))]
    [DataRow(typeof(Guid))]
    [DataRow(typeof(DateTime))]
    [DataRow(typeof(DateTimeOffset))]
    [DataRow(typeof(DateOnly))]
    [DataRow(typeof(TimeOnly))]
    [DataRow(typeof(TimeSpan))]
    [DataRow(typeof(int?))]
    [DataRow(typeof(Color?))]
    [DataRow(typeof(int[]))]
    [DataRow(typeof(string[]))]
    [DataRow(typeof(List<Guid>))]
    [DataRow(typeof(IEnumerable<long?>))]
    [DataRow(typeof(IReadOnlyList<int[]>))]
    public void Compile_SupportedType_Compiles(Type type)
    {
        var sut = TemplateCompiler.Compile("T_{value}", Scopes.Of(("value", type)), TemplateKind.Key);

        Assert.AreEqual("T_\u2205", sut.Format([null]));
    }
}
