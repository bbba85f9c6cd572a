namespace StreamMonitor.Classification.Models;

/// <summary>Reading, writing and defaulting the per-class <see cref="ClassRole"/>s of a model.</summary>
public static class ClassRoles
{
    /// <summary>The role's name in model files and on command lines: <c>crystal</c>, <c>liquid</c>, <c>other</c>.</summary>
    public static string Name(ClassRole role) => role switch
    {
        ClassRole.Crystal => "crystal",
        ClassRole.Liquid => "liquid",
        ClassRole.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static ClassRole Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "crystal" => ClassRole.Crystal,
        "liquid" => ClassRole.Liquid,
        "other" => ClassRole.Other,
        _ => throw new ArgumentException($"class role '{name}' is not crystal, liquid or other"),
    };

    /// <summary>
    /// The roles of a model file without declared roles (format version 1): <c>liquid</c> and <c>melt</c> are the liquid,
    /// <c>ico</c> is other, and every other class a crystal. That was the rule before models declared roles, so old
    /// files summarise as they always did.
    /// </summary>
    public static IReadOnlyList<ClassRole> FromNames(IReadOnlyList<string> classes) =>
        classes.Select(c => c switch
        {
            "liquid" or "melt" => ClassRole.Liquid,
            "ico" => ClassRole.Other,
            _ => ClassRole.Crystal,
        }).ToArray();

    /// <summary>
    /// Roles from <c>class=role</c> pairs (<c>I=crystal,melt=liquid</c>), in the order of <paramref name="classes"/>;
    /// classes the text leaves out are <see cref="ClassRole.Other"/>. Every named class must be one of the model's.
    /// </summary>
    public static IReadOnlyList<ClassRole> ParseAssignments(string text, IReadOnlyList<string> classes)
    {
        var roles = Enumerable.Repeat(ClassRole.Other, classes.Count).ToArray();
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1) throw new ArgumentException($"'{pair}' is not CLASS=ROLE (e.g. I=crystal)");
            var name = pair[..eq].Trim();
            int index = IndexOf(classes, name);
            if (!named.Add(name)) throw new ArgumentException($"class '{name}' is given a role twice");
            roles[index] = Parse(pair[(eq + 1)..]);
        }
        return roles;
    }

    /// <summary>The classes of <paramref name="classes"/> whose role is <paramref name="role"/>, in model order.</summary>
    public static IReadOnlyList<string> With(IReadOnlyList<string> classes, IReadOnlyList<ClassRole> roles, ClassRole role) =>
        classes.Where((_, k) => roles[k] == role).ToArray();

    private static int IndexOf(IReadOnlyList<string> classes, string name)
    {
        for (int k = 0; k < classes.Count; k++)
            if (classes[k] == name) return k;
        throw new ArgumentException($"'{name}' is not one of the model's classes ({string.Join(", ", classes)})");
    }
}
