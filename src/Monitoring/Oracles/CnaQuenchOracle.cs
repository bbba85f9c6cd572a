using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using StreamMonitor.Classification.Oracles;
using StreamMonitor.Core;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Monitoring.Oracles;

/// <summary>
/// Common-neighbour analysis of the inherent structure, an oracle that shares nothing with the trained models: each
/// frame is written as a LAMMPS data file, quenched by LAMMPS (<c>minimize</c>, fixed box) with the run's pair style,
/// and the quenched atoms are classified by <c>compute cna/atom</c> twice: with the cutoff between the first and second
/// fcc shells (12-neighbour signatures: fcc, hcp, ico) and with the one between the second and third bcc shells
/// (14-neighbour signature: bcc), both from the quenched frame's number density. Thermal noise would blur CNA's
/// bond signatures; the quench removes it without moving atoms out of their basins, so the labels carry back to the
/// thermal configuration. The quench is steepest descent with short steps (the path that defines the inherent
/// structure), stopped once the energy changes by less than <see cref="CnaQuenchOptions.EnergyTolerance"/> per step:
/// by then vibrations are gone, while a supercooled liquid in contact with crystal that is quenched further keeps
/// crystallising on the way down. Measured on a seeded LJ liquid (rho 0.95, 1000 steps after a quench to T = 0.6):
/// the model and the stopped quench find ~30% fcc; conjugate gradients with LAMMPS' default step of 0.1 found 80%,
/// steepest descent run to a force norm of 1e-4, 88%.
/// An atom one pass calls one structure and the other pass another (fcc at one cutoff, bcc at
/// the other) is ambiguous; an atom only one pass recognises gets that pass's structure.
/// </summary>
public sealed class CnaQuenchOracle(CnaQuenchOptions? options = null) : IStructureOracle
{
    public const string OracleName = "cna-quench";

    /// <summary>LAMMPS' suggested cna/atom cutoffs as multiples of the lattice constant (fcc: 0.854 a, bcc: 1.207 a).</summary>
    private const double FccCutoffPerLattice = 0.854, BccCutoffPerLattice = 1.207;

    private readonly CnaQuenchOptions _options = options ?? new CnaQuenchOptions();

    public string Name => OracleName;

    public IReadOnlyList<OracleLabels> Label(IReadOnlyList<Frame> frames, CancellationToken cancellationToken = default)
    {
        if (frames.Count == 0) return [];
        var directory = Directory.CreateTempSubdirectory("streammonitor-cna-");
        try
        {
            for (int f = 0; f < frames.Count; f++)
                LammpsConfigurationWriter.Write(frames[f], Path.Combine(directory.FullName, DataFile(f)), LammpsConfigurationWriter.Data);
            File.WriteAllText(Path.Combine(directory.FullName, "in.cna-quench"), Input(frames.Count));
            RunLammps(directory.FullName, cancellationToken);
            return frames.Select((frame, f) => ReadLabels(frame, Path.Combine(directory.FullName, CnaFile(f)))).ToArray();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string DataFile(int frame) => $"frame{frame}.data";

    private static string CnaFile(int frame) => $"frame{frame}.cna";

    /// <summary>One LAMMPS input for all frames: each is read, quenched, analysed and dumped after a <c>clear</c>.</summary>
    private string Input(int frames)
    {
        var o = _options;
        var inv = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        for (int f = 0; f < frames; f++)
        {
            text.Append(inv, $"""
                clear
                units {o.Units}
                atom_style atomic
                boundary p p p
                read_data {DataFile(f)}
                mass * 1.0
                pair_style {o.PairStyle}
                pair_coeff {o.PairCoeff}
                neighbor {o.Skin.ToString("R", inv)} bin
                neigh_modify every 1 delay 0 check yes
                thermo_style custom step pe fnorm
                thermo 1000
                min_style sd
                min_modify dmax {o.MaxDisplacement.ToString("R", inv)}
                minimize {o.EnergyTolerance.ToString("R", inv)} {o.ForceTolerance.ToString("R", inv)} {o.MaxIterations} {10 * o.MaxIterations}
                variable rho equal atoms/vol
                print "QUENCHED frame {f} density $(v_rho:%.6f)"
                compute cna12 all cna/atom $({FccCutoffPerLattice}*(4/v_rho)^(1/3))
                compute cna14 all cna/atom $({BccCutoffPerLattice}*(2/v_rho)^(1/3))
                dump cna all custom 1 {CnaFile(f)} id c_cna12 c_cna14
                dump_modify cna sort id
                run 0
                undump cna

                """);
        }
        return text.ToString();
    }

    private void RunLammps(string directory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(_options.Lmp)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var arg in new[] { "-in", "in.cna-quench", "-log", "log.lammps", "-screen", "none", "-nocite" }) info.ArgumentList.Add(arg);
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new OracleException(
                $"the LAMMPS executable '{_options.Lmp}' could not be started ({e.Message}); install LAMMPS (Debian/Ubuntu: apt-get install lammps) or set LMP=/path/to/lmp");
        }
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            process.WaitForExit();
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode == 0) return;
        var log = Path.Combine(directory, "log.lammps");
        var tail = File.Exists(log) ? File.ReadLines(log).TakeLast(12) : [];
        var output = string.Join("\n", tail.Concat((stdout.Result + stderr.Result).Split('\n').TakeLast(6)).Where(l => l.Trim().Length > 0));
        throw new OracleException($"LAMMPS ({_options.Lmp}) failed with exit code {process.ExitCode} while quenching; the end of its log:\n{output}");
    }

    /// <summary>Reads a frame's <c>id cna12 cna14</c> dump back into the frame's atom order.</summary>
    private static OracleLabels ReadLabels(Frame frame, string path)
    {
        if (!File.Exists(path)) throw new OracleException($"frame {frame.Index}: LAMMPS wrote no analysis ({Path.GetFileName(path)})");
        var byId = new Dictionary<int, (int Fcc, int Bcc)>(frame.AtomCount);
        bool atoms = false;
        foreach (var line in File.ReadLines(path))
        {
            if (!atoms)
            {
                atoms = line.StartsWith("ITEM: ATOMS", StringComparison.Ordinal);
                continue;
            }
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var inv = CultureInfo.InvariantCulture;
            byId[int.Parse(fields[0], inv)] = ((int)double.Parse(fields[1], inv), (int)double.Parse(fields[2], inv));
        }
        var ids = frame.Ids.ToArray();
        var structures = new OracleStructure[ids.Length];
        var unambiguous = new bool[ids.Length];
        if (byId.Count != ids.Length)
            throw new OracleException($"frame {frame.Index}: LAMMPS analysed {byId.Count} atoms, the frame has {ids.Length} (duplicate or lost ids)");
        for (int a = 0; a < ids.Length; a++)
        {
            if (!byId.TryGetValue(ids[a], out var cna))
                throw new OracleException($"frame {frame.Index}: atom id {ids[a]} is missing from LAMMPS' analysis");
            (structures[a], unambiguous[a]) = Combine(Structure(cna.Fcc), Structure(cna.Bcc));
        }
        return new OracleLabels(frame.Index, ids, structures, unambiguous);
    }

    /// <summary>
    /// cna/atom's codes (0 unknown, 1 fcc, 2 hcp, 3 bcc, 4 ico, 5 other). A pass decides by the neighbour count inside
    /// its cutoff (12: fcc/hcp/ico signatures, 14: bcc), so either pass can recognise any structure: a bcc atom has its
    /// 14 neighbours inside the fcc cutoff too, and an fcc atom its 12 inside the bcc cutoff unless its second shell
    /// reaches in.
    /// </summary>
    private static OracleStructure Structure(int code) => code switch
    {
        1 => OracleStructure.Fcc,
        2 => OracleStructure.Hcp,
        3 => OracleStructure.Bcc,
        4 => OracleStructure.Ico,
        _ => OracleStructure.Other,
    };

    /// <summary>Two different structures are a conflict; a pass that recognises nothing (other) defers to the other pass.</summary>
    private static (OracleStructure, bool) Combine(OracleStructure fccPass, OracleStructure bccPass)
    {
        if (fccPass == OracleStructure.Other) return (bccPass, true);
        if (bccPass == OracleStructure.Other || bccPass == fccPass) return (fccPass, true);
        return (OracleStructure.Other, false);
    }
}
