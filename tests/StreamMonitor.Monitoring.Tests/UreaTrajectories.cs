using StreamMonitor.TestSupport;

namespace StreamMonitor.Monitoring.Tests;

/// <summary>
/// Real urea trajectories committed under Data/urea (made by make-urea-trajectories.sh with LAMMPS from the reference
/// form I crystal; 432 molecules, columns <c>id mol element sym_type x y z</c>, gzip).
/// </summary>
public static class UreaTrajectories
{
    private static string Data => Path.Combine(RepositoryPaths.Root, "tests", "StreamMonitor.Monitoring.Tests", "Data", "urea");

    /// <summary>The form I crystal melted (12 ps at 800 K, fixed volume) and held at 500 K and 1 atm: 5 frames 1 ps apart.</summary>
    public static string Melt500K => Path.Combine(Data, "urea-melt-500K.lammpstrj.gz");

    /// <summary>The form I crystal at 200 K in the reference cell (NVT): 5 frames 1 ps apart.</summary>
    public static string FormI200K => UreaStandardDumps.FormI200K;

    public const int Molecules = 432;
}
