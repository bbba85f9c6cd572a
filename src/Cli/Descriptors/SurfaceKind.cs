using System.Globalization;
using StreamMonitor.Analysis.Molecules;
using StreamMonitor.Core;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>--kind surface</c>: surface or core, as in Kuroshima et al. (JCTC 2024) — fewer than <c>--min-neighbors</c>
/// (default 20) centers within <c>--radius</c> is surface. With <c>--preset</c> or <c>--params</c> it is molecular:
/// the points are the molecules' center atoms (the file must have molecule ids) and the radius defaults to the largest
/// molecular radius of the frame + 6 Å; rows <c>frame,mol,neighbors,surface</c>. Without them it counts atoms, which
/// have no molecular radius to start from, so <c>--radius</c> is required; rows <c>frame,id,neighbors,surface</c>.
/// One summary line per frame goes to stderr.
/// </summary>
internal sealed class SurfaceKind : DescriptorKind
{
    private SurfaceClassifier? _classifier;
    private MolecularSymmetryFunctionParameters? _molecular;

    public override string Name => "surface";

    public override string Description =>
        "surface/core: fewer than --min-neighbors (20) centers within --radius is surface; molecular with --preset/--params " +
        "(radius default: largest molecular radius + 6 Å), otherwise atoms (needs --radius)";

    public override string Header => _molecular is null ? "frame,id,neighbors,surface" : "frame,mol,neighbors,surface";

    public override void Configure(DescriptorOptions options)
    {
        _molecular = MolecularOptions.Parameters(options);
        MolecularOptions.RejectNeighborOptions(options, Name, "the neighbourhood is --radius");
        if (options.Radius is { } r && !(r > 0 && double.IsFinite(r))) throw new ArgumentException($"--radius must be positive, got {r}");
        if (options.SurfaceThreshold < 1) throw new ArgumentException($"--min-neighbors must be at least 1, got {options.SurfaceThreshold}");
        if (_molecular is null && options.Radius is null)
            throw new ArgumentException("--kind surface without --preset or --params counts atoms and needs --radius (atoms have no molecular radius to derive it from)");
        _classifier = new SurfaceClassifier(options.Radius, options.SurfaceThreshold);
    }

    public override void Write(Frame frame, CsvWriter csv, TextWriter summary)
    {
        var classifier = _classifier ?? throw new InvalidOperationException("Configure was not called");
        SurfaceResult result;
        string what;
        if (_molecular is { } p)
        {
            result = classifier.Compute(OrientedMolecules.FromFrame(frame, p.Roles, p.Bonds));
            what = "molecules";
        }
        else
        {
            result = classifier.Compute(frame);
            what = "atoms";
        }
        for (int i = 0; i < result.Count; i++)
        {
            csv.Field(frame.Index);
            csv.Field(result.Ids[i]);
            csv.Field(result.NeighborCounts[i]);
            csv.Field(result.IsSurface[i] ? 1 : 0);
            csv.EndRow();
        }
        summary.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"frame {frame.Index}: {result.Count} {what}, {result.SurfaceCount} surface, {result.CoreCount} core (radius {result.Radius:0.###}, surface below {result.MinNeighbors} neighbours)"));
    }
}
