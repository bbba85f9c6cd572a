using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind molsf</c>: the molecular symmetry functions of Kuroshima et al. (JCTC 2024), one row per molecule in
/// molecule-id order, the 24 features of the published sets as <c>sf1..sf24</c> (S1 ×4, S3 on v1 ×4, S3 on v2 ×4, S2 ×4,
/// S4 on v1 ×4, S4 on v2 ×4). Parameters and atom roles come from <c>--preset urea|nicotinamide</c> or from
/// <c>--params FILE</c> in the reference program's INPUT format. Molecules come from the file's <c>mol</c> column.
/// A cutoff beyond half the narrowest cell width is refused (molecules would meet their own images), as are frames
/// without molecule ids or without the atoms the preset names.
/// </summary>
internal sealed class MolsfKind : DescriptorKind
{
    private MolecularSymmetryFunctions? _compute;
    private string _header = "frame,mol," + string.Join(",", Enumerable.Range(1, 24).Select(i => $"sf{i}"));

    public override string Name => "molsf";

    public override string Description =>
        "molecular symmetry functions (--preset urea|nicotinamide or --params FILE in the reference INPUT format), one row per molecule";

    public override string Header => _header;

    public override void Configure(DescriptorOptions options)
    {
        var parameters = MolecularOptions.Parameters(options)
            ?? throw new ArgumentException("--kind molsf needs --preset (urea, nicotinamide) or --params FILE");
        MolecularOptions.RejectNeighborOptions(options, Name, "the cutoff comes from the preset or parameter file");
        if (options.Radius is not null) throw new ArgumentException("--radius is for --kind surface, not molsf");
        _compute = new MolecularSymmetryFunctions(parameters);
        _header = "frame,mol," + string.Join(",", Enumerable.Range(1, _compute.FeatureCount).Select(i => $"sf{i}"));
    }

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        var compute = _compute ?? throw new InvalidOperationException("Configure was not called");
        var result = compute.Compute(frame);
        for (int m = 0; m < result.Count; m++)
        {
            csv.Field(frame.Index);
            csv.Field(result.MoleculeIds[m]);
            foreach (double value in result.Row(m)) csv.Field(value);
            csv.EndRow();
        }
    }
}
