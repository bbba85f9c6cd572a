using StreamMonitor.Monitoring.Control;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Contracts.Grains;

/// <summary>
/// What a run is registered with: the trajectory to follow and how to read, classify, watch, stop and end it. Stored in
/// the run grain's state as the server resolved it (absolute paths, defaults filled in), so a re-activated grain rebuilds
/// the same pipeline and a second registration can be compared field by field.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RunConfig
{
    /// <summary>The model a run is classified with when none is given: the shipped Lennard-Jones model.</summary>
    public const string DefaultModel = "lj";

    /// <summary>Path of the trajectory file (LAMMPS dump, extended XYZ, XTC), or a glob in the file name for a series, on the silo's file system.</summary>
    [Id(0)] public required string TrajectoryPath { get; init; }

    /// <summary>Format name (<c>lammps</c>, <c>xyz</c>, <c>xtc</c>); null or <c>auto</c> detects it.</summary>
    [Id(1)] public string? Format { get; init; }

    /// <summary>A shipped model's name or a model file's path.</summary>
    [Id(2)] public string Model { get; init; } = DefaultModel;

    /// <summary>Event rules as JSON (the rules file's content); null for the default rules.</summary>
    [Id(3)] public string? RulesJson { get; init; }

    /// <summary>How the run is stopped (a stop file, a named command, a signal); null when it cannot be stopped.</summary>
    [Id(4)] public StopSpec? Stop { get; init; }

    /// <summary>Event kinds that stop the run (through <see cref="Stop"/>) the first time one is detected.</summary>
    [Id(5)] public IReadOnlyList<string> StopOn { get; init; } = [];

    /// <summary>Persist the run's state (checkpoint included) every this many frames; 1 writes after every frame.</summary>
    [Id(6)] public int CheckpointEvery { get; init; } = 1;

    /// <summary>The run finishes once its file has not grown for this long; null takes the server's default (<c>serve --end-after-idle</c>).</summary>
    [Id(7)] public TimeSpan? EndAfterIdle { get; init; }

    /// <summary>Surface/core and interface measures of the summaries.</summary>
    [Id(8)] public SummarySettings Summary { get; init; } = new();

    /// <summary>After a stop, the run ends once its file has not grown for this long; null takes the server's default.</summary>
    [Id(9)] public TimeSpan? EndAfterStop { get; init; }

    /// <summary>
    /// Atom roles for a molecular model when the trajectory names atoms by type only: <c>C=3,O=2,N=4</c> (element of the
    /// preset's molecule = type or element value); null reads them from the file (sym_type, element names, masses).
    /// </summary>
    [Id(10)] public string? Roles { get; init; }

    /// <summary>The column <see cref="Roles"/> refers to (<c>type</c>, <c>element</c> or a column name); null: type, else element.</summary>
    [Id(11)] public string? RolesColumn { get; init; }

    /// <summary>The summarizer options of this run: its summary settings and atom roles; throws naming the field at fault.</summary>
    public SummarizerOptions ToSummarizerOptions() => SummarizerOptions.From(Summary ?? new SummarySettings()) with
    {
        AtomRoles = Roles is null
            ? RolesColumn is null ? null : throw new ArgumentException("roles_column needs roles (the atom-role mapping it is the column of)")
            : AtomRoleMapping.Parse(Roles, RolesColumn, "roles", "roles_column"),
    };
}
