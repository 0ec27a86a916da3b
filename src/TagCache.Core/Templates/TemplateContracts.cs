// CONTRACT FILE: signatures here are shared between Core and Interception. Implementations live in the other files of this folder.
namespace TagCache.Templates;

/// <summary>Whether a template builds a cache key (values escaped, collision-proof) or a tag (values plain).</summary>
internal enum TemplateKind
{
    Key,
    Tag,
}

/// <summary>A name a template may reference: a method parameter and its position in the argument array.</summary>
internal readonly record struct TemplateParameter(string Name, Type Type, int Index);
