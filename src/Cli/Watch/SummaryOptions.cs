using System.CommandLine;
using StreamMonitor.Classification.Models;
using StreamMonitor.Monitoring.Pipeline;

namespace StreamMonitor.Cli.Watch;

/// <summary>
/// The options that say how frames are summarised — the model and <see cref="SummarySettings"/> — shared by the
/// commands that summarise frames (<c>watch</c>, <c>campaign points</c>), so the same options give the same summaries.
/// </summary>
internal sealed class SummaryOptions
{
    public Option<string> Model { get; } = new("--model") { Description = $"Model file or shipped model ({string.Join(", ", ModelCatalog.Names)}).", DefaultValueFactory = _ => ModelCatalog.DefaultAtomic };
    private readonly Option<string?> _crystallineClasses = new("--crystalline-classes") { Description = "Classes counted as crystalline (n_max, crystalline fraction, events), comma-separated (default: those the model declares crystals)." };
    private readonly Option<string?> _interfaceAxis = new("--interface-axis") { Description = "Follow a crystal-liquid interface along x, y or z (position and velocity in every frame)." };
    private readonly Option<string?> _interfaceGeometry = new("--interface-geometry") { Description = "slab (a crystal slab in a periodic box, the default) or single (one interface)." };
    private readonly Option<string?> _interfaceClasses = new("--interface-classes") { Description = "Classes counted as solid for the interface, comma-separated (default: the crystalline ones)." };
    private readonly Option<double?> _timePerStep = new("--time-per-step") { Description = "Time per MD step for files without times (LAMMPS dumps), so velocities are per time unit." };
    private readonly Option<bool> _noSurfaceCore = new("--no-surface-core") { Description = "Do not split the largest cluster into surface and core (saves memory on huge frames)." };
    private readonly Option<double?> _surfaceRadius = new("--surface-radius") { Description = "Surface/core: radius within which neighbours are counted (default: largest molecular radius + 6 Å; atoms: 1.5 × the model cutoff)." };
    private readonly Option<int?> _surfaceMinNeighbors = new("--surface-min-neighbors") { Description = "Surface/core: a row with fewer neighbours than this within the radius is at a surface (default: 20 molecules, 30 atoms)." };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Model, _crystallineClasses, _interfaceAxis, _interfaceGeometry, _interfaceClasses, _timePerStep, _noSurfaceCore, _surfaceRadius, _surfaceMinNeighbors })
            command.Options.Add(option);
    }

    /// <summary>The settings the command line asks for.</summary>
    public SummarySettings Settings(ParseResult result) => new()
    {
        CrystallineClasses = Names(result.GetValue(_crystallineClasses)),
        SurfaceCore = !result.GetValue(_noSurfaceCore),
        SurfaceRadius = result.GetValue(_surfaceRadius),
        SurfaceMinNeighbors = result.GetValue(_surfaceMinNeighbors),
        InterfaceAxis = result.GetValue(_interfaceAxis) switch
        {
            null => null,
            [var axis] => axis,
            var other => throw new ArgumentException($"--interface-axis must be x, y or z, got '{other}'"),
        },
        InterfaceGeometry = result.GetValue(_interfaceGeometry),
        InterfaceClasses = Names(result.GetValue(_interfaceClasses)),
        TimePerStep = result.GetValue(_timePerStep),
    };

    /// <summary>A comma-separated list, blanks dropped; null stays null.</summary>
    public static string[]? Names(string? text) => text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
