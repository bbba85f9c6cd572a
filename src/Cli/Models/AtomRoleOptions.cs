using System.CommandLine;
using StreamMonitor.Analysis.Molecules;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// <c>--roles</c> and <c>--roles-column</c> of the commands that read trajectories for a molecular model: which atoms
/// of a standard dump are which element of the preset's molecule, when the file carries no <c>sym_type</c>, element
/// names or masses. (Not <c>train</c>'s <c>--roles</c>, which says what the classes are.)
/// </summary>
internal sealed class AtomRoleOptions
{
    public Option<string?> Roles { get; } = new("--roles")
    {
        Description = "Atom roles of a molecular model's molecule: which type (or element) values are which element, e.g. C=3,O=2,N=4 " +
                      "(repeat an element for several types: C=4,C=5). Default: sym_type, else element names or atomic numbers, else masses.",
    };

    public Option<string?> Column { get; } = new("--roles-column")
    {
        Description = "Column the --roles atom-role values refer to: type, element or another column's name (default: type, else element).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Roles);
        command.Options.Add(Column);
    }

    /// <summary>The mapping given, or null; throws naming the option on a malformed one or on a column without a mapping.</summary>
    public AtomRoleMapping? Read(ParseResult result)
    {
        var roles = result.GetValue(Roles);
        var column = result.GetValue(Column);
        if (roles is null)
            return column is null ? null : throw new ArgumentException($"{Column.Name} needs {Roles.Name} (the atom-role mapping it is the column of)");
        return AtomRoleMapping.Parse(roles, column, Roles.Name, Column.Name);
    }
}
