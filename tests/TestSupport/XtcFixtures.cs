namespace StreamMonitor.TestSupport;

/// <summary>
/// Real XTC files written by GROMACS, committed under tests/Data/xtc (made by its make-fixtures.sh; committed because
/// Debian's <c>gmx mdrun</c> does not run on CPUs without the rdtscp instruction): SPC/E water in a rhombic-dodecahedron
/// box (so the box rows are not diagonal), about 1900 atoms, 200 MD steps with <c>nstxout-compressed 20</c> (11 frames)
/// at the default precision 1000, and copies of the same run written by <c>gmx trjconv</c> that exercise every decoding
/// path: 3 waters (9 atoms, stored uncompressed), precision 10^6 (packed triples of 65+ bits), precision 10^7
/// (coordinates too wide to pack, small integers wider than 64 bits), and a 1 nm region at 10^6 (packed triples of
/// 58–64 bits).
/// </summary>
public static class XtcFixtures
{
    // Handed out as copies in a temporary folder: MDAnalysis writes offset files (.NAME_offsets.npz) beside the XTC it
    // reads, which must not land in the source tree, and no test can then change a committed file by mistake.
    private static readonly Lazy<TempDirectory> Copies = new(() =>
    {
        var copies = new TempDirectory("streammonitor-xtc-");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => copies.Dispose();
        return copies;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly Lock CopyLock = new();

    /// <summary>About 1900 atoms (some 630 SPC/E waters), 11 frames, precision 1000, dodecahedron box.</summary>
    public const string Water = "water.xtc";

    /// <summary>The first 3 waters of <see cref="Water"/>: 9 atoms, so coordinates are plain floats.</summary>
    public const string ThreeWaters = "three-waters.xtc";

    /// <summary>All atoms at precision 10^6: packed large triples of 65–72 bits.</summary>
    public const string Precision6 = "precision6.xtc";

    /// <summary>All atoms at precision 10^7: coordinate ranges above 2^24 (each coordinate on its own bits).</summary>
    public const string Precision7 = "precision7.xtc";

    /// <summary>Waters of a 1 nm cube at precision 10^6: packed large triples of 58–64 bits.</summary>
    public const string Region6 = "region6.xtc";

    public static IEnumerable<string> All => [Water, ThreeWaters, Precision6, Precision7, Region6];

    /// <summary>tests/Data/xtc: the files, the script that makes them and the run's inputs.</summary>
    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "Data", "xtc");

    /// <summary>The path of a copy of one of the files above, made on first use and removed when the process exits.</summary>
    public static string Get(string name)
    {
        var source = Path.Combine(Directory, name);
        if (!File.Exists(source))
            throw new FileNotFoundException($"{source} is missing; tests/Data/xtc/make-fixtures.sh writes it", source);
        var copy = Copies.Value.File(name);
        lock (CopyLock)
        {
            if (!File.Exists(copy)) File.Copy(source, copy);
        }
        return copy;
    }
}
