namespace StreamMonitor.Bench.Cases;

/// <summary>
/// GROMACS XTC written by gmx mdrun (104202 atoms of SPC/E water, 51 frames, precision 1000): TrajectoryReader vs
/// MDAnalysis' XTCReader (libxdrfile in C), frames/s.
/// </summary>
public sealed class XtcDecodeCase : PeerComparisonCase
{
    public override string Name => "xtc-decode";

    public override string Description =>
        "GROMACS XTC from gmx mdrun (104202 atoms x 51 frames): TrajectoryReader vs MDAnalysis XTCReader, frames/s";

    public override IReadOnlyList<Tool> Requires => [Tools.MdAnalysis];

    protected override string PeerScript => "xtc_decode.py";
    protected override string PeerName => "MDAnalysis";
    protected override RateUnit Unit => RateUnit.FramesPerSecond;

    protected override string OursIncludes =>
        "TrajectoryReader.Open(path) + ReadAll(), decompressing every frame into SoA arrays (Å), each frame disposed";

    protected override string PeerIncludes =>
        "XTCReader(path, refresh_offsets=True) (fresh header scan) + for ts in reader: ts.positions; python start/imports excluded";

    protected override string PrepareInput(BenchContext context) => context.Data("make-xtc.sh", "water100k.xtc");

    protected override Measurement ReadOurs(string input) => ReadAllFrames(input);
}
