using System.CommandLine;
using StreamMonitor.Classification.Models;

namespace StreamMonitor.Cli.Models;

/// <summary>The <c>--roles</c> option of the commands that write model files (<c>train</c>, <c>import-weights</c>).</summary>
internal static class RoleOptions
{
    public static Option<string?> Roles() => new("--roles")
    {
        Description = "Role of each class, CLASS=ROLE comma-separated with ROLE crystal, liquid or other (e.g. I=crystal,melt=liquid); " +
                      "classes left out are other. Live summaries count the crystal classes as crystalline. " +
                      "Without it: liquid and melt are liquid, ico other, the rest crystal.",
    };

    /// <summary>The roles <paramref name="text"/> gives the classes, or null when it is null (the model file's default).</summary>
    public static IReadOnlyList<ClassRole>? Parse(string? text, IReadOnlyList<string> classes)
    {
        if (text is null) return null;
        try
        {
            return ClassRoles.ParseAssignments(text, classes);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"--roles: {e.Message}", e);
        }
    }
}
