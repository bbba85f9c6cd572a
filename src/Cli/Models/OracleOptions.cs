using System.CommandLine;
using StreamMonitor.Classification.Oracles;
using StreamMonitor.Monitoring.Oracles;

namespace StreamMonitor.Cli.Models;

/// <summary>
/// The oracle options of <c>dataset</c> and <c>evaluate</c>: the interactions the cna-quench oracle quenches with, which
/// must be the run's own (LAMMPS' <c>units</c>, <c>pair_style</c>, <c>pair_coeff</c>).
/// </summary>
internal sealed class OracleOptions
{
    private static readonly CnaQuenchOptions Defaults = new();

    public Option<string> Units { get; } = new("--oracle-units") { Description = "LAMMPS units of the quench.", DefaultValueFactory = _ => Defaults.Units };

    public Option<string> PairStyle { get; } = new("--oracle-pair-style")
    {
        Description = "LAMMPS pair_style of the quench (the run's own).", DefaultValueFactory = _ => Defaults.PairStyle,
    };

    public Option<string> PairCoeff { get; } = new("--oracle-pair-coeff")
    {
        Description = "LAMMPS pair_coeff arguments of the quench.", DefaultValueFactory = _ => Defaults.PairCoeff,
    };

    public IEnumerable<Option> All => [Units, PairStyle, PairCoeff];

    /// <summary>Finds an oracle by name with the given options (LAMMPS from <c>LMP</c>, else <c>lmp</c>).</summary>
    public Func<string, IStructureOracle> Factory(ParseResult result) => name => name switch
    {
        CnaQuenchOracle.OracleName => new CnaQuenchOracle(Defaults with
        {
            Units = result.GetValue(Units)!, PairStyle = result.GetValue(PairStyle)!, PairCoeff = result.GetValue(PairCoeff)!,
        }),
        _ => throw new ArgumentException($"unknown oracle '{name}' (known: {CnaQuenchOracle.OracleName})"),
    };
}
