using System.CommandLine;
using System.Globalization;
using StreamMonitor.Ingest;

namespace StreamMonitor.Cli.Descriptors;

/// <summary>
/// <c>streammonitor descriptors FILE --kind K</c>: per-atom or per-molecule descriptors of every frame (or one frame)
/// as CSV with a header, to a file or stdout.
/// </summary>
internal static class DescriptorsCommand
{
    public static Command Create()
    {
        var kinds = DescriptorKind.All;
        var file = new Argument<string>("FILE") { Description = "Trajectory file (LAMMPS dump, extended XYZ or XTC)." };
        var format = new Option<string>("--format") { Description = "File format; auto detects it.", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong([.. TrajectoryFormats.Names]);
        var kind = new Option<string>("--kind")
        {
            Description = "What to compute: " + string.Join("; ", kinds.Select(k => $"{k.Name}: {k.Description}")),
            Required = true,
        };
        kind.AcceptOnlyFromAmong([.. kinds.Select(k => k.Name)]);
        var degrees = new Option<string>("--l") { Description = "Steinhardt degrees, comma-separated.", DefaultValueFactory = _ => "4,6,8" };
        var nnn = new Option<int?>("--nnn") { Description = "Use this many nearest neighbours (default 12 unless --cutoff is given)." };
        var cutoff = new Option<double?>("--cutoff") { Description = "Neighbour cutoff (file length units); with --nnn, the nearest within it." };
        var average = new Option<bool>("--average") { Description = "Lechner–Dellago averaged q̄_l (the particle and its neighbours)." };
        var threshold = new Option<double>("--threshold") { Description = "Solid bond: normalised q6·q6* above this.", DefaultValueFactory = _ => 0.7 };
        var bonds = new Option<int>("--bonds") { Description = "Solid particle: at least this many solid bonds.", DefaultValueFactory = _ => 7 };
        var preset = new Option<string?>("--preset") { Description = "Molecular symmetry functions: urea or nicotinamide." };
        var parameters = new Option<string?>("--params") { Description = "Molecular symmetry-function parameters in the reference INPUT format." };
        var radius = new Option<double?>("--radius") { Description = "Surface/core: neighbourhood radius (default: largest molecular radius + 6 Å)." };
        var minNeighbors = new Option<int>("--min-neighbors") { Description = "Surface/core: fewer centres than this within the radius is surface.", DefaultValueFactory = _ => 20 };
        var axis = new Option<string>("--axis") { Description = "Interface: profile axis x, y or z.", DefaultValueFactory = _ => "z" };
        axis.AcceptOnlyFromAmong("x", "y", "z");
        var bins = new Option<int>("--bins") { Description = "Interface: slabs in the profile.", DefaultValueFactory = _ => 40 };
        var frameOption = new Option<long?>("--frame") { Description = "Only this frame (0-based)." };
        var output = new Option<string>("--out") { Description = "Output CSV file, or - for stdout.", DefaultValueFactory = _ => "-" };

        var command = new Command("descriptors", "Per-atom or per-molecule structure descriptors as CSV.")
        {
            file, format, kind, degrees, nnn, cutoff, average, threshold, bonds, preset, parameters, radius, minNeighbors, axis, bins,
            frameOption, output,
        };
        var atomRoles = new Models.AtomRoleOptions();
        atomRoles.AddTo(command);
        command.SetAction((result, ct) => CliErrors.RunAsync(() =>
        {
            var options = new DescriptorOptions
            {
                Degrees = ParseDegrees(result.GetValue(degrees)!),
                Nearest = result.GetValue(nnn),
                Cutoff = result.GetValue(cutoff),
                Average = result.GetValue(average),
                BondThreshold = result.GetValue(threshold),
                SolidBonds = result.GetValue(bonds),
                Preset = result.GetValue(preset),
                ParameterFile = result.GetValue(parameters),
                AtomRoles = atomRoles.Read(result),
                Radius = result.GetValue(radius),
                SurfaceThreshold = result.GetValue(minNeighbors),
                Axis = result.GetValue(axis)![0],
                Bins = result.GetValue(bins),
            };
            var selected = kinds.First(k => k.Name == result.GetValue(kind));
            selected.Configure(options);
            return Task.FromResult(Run(result.GetValue(file)!, TrajectoryFormats.ByName(result.GetValue(format)), selected,
                result.GetValue(frameOption), result.GetValue(output)!, ct));
        }));
        return command;
    }

    private static int Run(string path, TrajectoryFormat? format, DescriptorKind kind, long? onlyFrame, string output, CancellationToken ct)
    {
        using var reader = TrajectoryReader.Open(path, format);
        if (onlyFrame is { } k && !reader.SeekFrame(k))
            throw new CliException($"{path}: has no frame {k} (it has {reader.Index.Count})", CliErrors.DataError);
        using var stream = output == "-" ? Console.OpenStandardOutput() : File.Create(output);
        using var csv = new CsvWriter(stream);
        csv.Line(kind.Header);
        while (reader.Read() is { } frame)
        {
            using (frame)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    kind.Write(frame, csv, Console.Error);
                }
                catch (ArgumentException e)
                {
                    throw new TrajectoryFormatException(path, frame.Index, frame.ByteOffset, null, e.Message, e);
                }
            }
            if (onlyFrame is not null) break;
        }
        return 0;
    }

    private static int[] ParseDegrees(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var degrees = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out degrees[i]) || degrees[i] is < 1 or > 16)
                throw new ArgumentException($"--l takes degrees from 1 to 16 separated by commas, got '{text}'");
        return degrees.Length > 0 ? degrees : throw new ArgumentException("--l needs at least one degree");
    }
}
