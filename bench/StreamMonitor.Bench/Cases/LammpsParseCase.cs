namespace StreamMonitor.Bench.Cases;

/// <summary>
/// LAMMPS text dump, 108000-atom LJ liquid, 10 frames, columns <c>id type x y z</c>: TrajectoryReader vs
/// MDAnalysis' DumpReader, whole-file read time both ways, in MB/s of dump text.
/// </summary>
public class LammpsParseCase : PeerComparisonCase
{
    public override string Name => "lammps-parse";

    public override string Description =>
        "LAMMPS text dump (108000 atoms x 10 frames, id type x y z): TrajectoryReader vs MDAnalysis DumpReader, MB/s";

    public override IReadOnlyList<Tool> Requires => [Tools.MdAnalysis];

    protected virtual string InputFile => "lj108k-xyz-10.dump";

    protected override string PeerScript => "lammps_parse.py";
    protected override string PeerName => "MDAnalysis";
    protected override RateUnit Unit => RateUnit.MegabytesPerSecond;

    protected override string OursIncludes =>
        "TrajectoryReader.Open(path) + ReadAll(), parsing every frame into SoA arrays, each frame disposed";

    protected override string PeerIncludes =>
        "Universe(path, format='LAMMPSDUMP') (scans the whole file for frame offsets) + for ts in u.trajectory: ts.positions; python start/imports excluded";

    protected override string PrepareInput(BenchContext context) => context.Data("make-lammps.sh", InputFile);

    protected override Measurement ReadOurs(string input) => ReadAllFrames(input);
}

/// <summary>The same run dumped as <c>id type xs ys zs ix iy iz</c> (scaled coordinates and image flags).</summary>
public sealed class LammpsParseScaledCase : LammpsParseCase
{
    public override string Name => "lammps-parse-scaled";

    public override string Description =>
        "LAMMPS text dump (108000 atoms x 10 frames, id type xs ys zs ix iy iz): TrajectoryReader vs MDAnalysis DumpReader, MB/s";

    protected override string InputFile => "lj108k-scaled-10.dump";
}
