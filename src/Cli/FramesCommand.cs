using System.CommandLine;
using StreamMonitor.Ingest;
using StreamMonitor.Ingest.Tailing;

namespace StreamMonitor.Cli;

/// <summary><c>streammonitor frames FILE</c>: print the frames of a trajectory, optionally following it as it grows.</summary>
internal static class FramesCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "Trajectory file (LAMMPS dump, extended XYZ or XTC; .gz for text formats)." };
        var format = new Option<string>("--format")
        {
            Description = "File format; auto detects it from content and extension.",
            DefaultValueFactory = _ => "auto",
        };
        format.AcceptOnlyFromAmong([.. TrajectoryFormats.Names]);
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep reading as the file grows, until Ctrl-C (or --idle-exit)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per frame per line." };
        var positions = new Option<bool>("--positions") { Description = "With --json: include ids, types and Cartesian positions." };
        var poll = new Option<int>("--poll-interval")
        {
            Description = "With --follow: milliseconds between checks for growth when no file-system event arrives (lower it on NFS/Lustre).",
            DefaultValueFactory = _ => (int)new TailOptions().PollInterval.TotalMilliseconds,
        };
        var noEvents = new Option<bool>("--no-inotify") { Description = "With --follow: poll only, do not use file-system events." };
        var idle = new Option<double?>("--idle-exit") { Description = "With --follow: exit after this many seconds without a new frame." };
        var capacity = new Option<int>("--buffer-frames")
        {
            Description = "Frames read ahead of the output before the reader waits.",
            DefaultValueFactory = _ => new TailOptions().ChannelCapacity,
        };
        var checkpoint = new Option<string?>("--checkpoint")
        {
            Description = "Resume after the frame recorded in this file, and record each printed frame there (created if missing).",
        };

        var command = new Command("frames", "Print the frames of a trajectory: one line each, or JSON.")
        {
            file, format, follow, json, positions, poll, noEvents, idle, capacity, checkpoint,
        };
        command.SetAction((result, ct) => CliErrors.RunAsync(async () =>
        {
            var options = new TailOptions
            {
                Format = TrajectoryFormats.ByName(result.GetValue(format)),
                Follow = result.GetValue(follow),
                PollInterval = TimeSpan.FromMilliseconds(Positive(result.GetValue(poll), "--poll-interval")),
                UseFileSystemEvents = !result.GetValue(noEvents),
                ChannelCapacity = Positive(result.GetValue(capacity), "--buffer-frames"),
                IdleTimeout = result.GetValue(idle) is { } s ? TimeSpan.FromSeconds(Positive(s, "--idle-exit")) : null,
            };
            return await RunAsync(result.GetValue(file)!, options, result.GetValue(json), result.GetValue(positions),
                result.GetValue(checkpoint), ct);
        }));
        return command;
    }

    private static async Task<int> RunAsync(string path, TailOptions options, bool json, bool positions, string? checkpointFile,
        CancellationToken ct)
    {
        if (!options.Follow && !File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var resume = checkpointFile is null ? null : CheckpointFile.Load(checkpointFile);
        var tailer = TrajectoryTailer.Start(path, options, resume, ct);
        await using var stdout = Console.OpenStandardOutput();
        await using var output = new BufferedStream(stdout, 1 << 16);
        using var writer = new FrameJsonWriter(output, positions);
        try
        {
            await foreach (var item in tailer.Items.ReadAllAsync(ct))
            {
                if (item.Event is { } e)
                {
                    if (json) writer.Write(e);
                    else Console.Error.WriteLine($"streammonitor: {e.Path}: {e.Message}");
                }
                if (item.Frame is not { } frame) continue;
                using (frame)
                {
                    if (json) writer.Write(frame);
                    else WriteLine(output, FrameText.Describe(frame));
                    // Followers want each frame as it comes; a finished file can be written in big blocks.
                    if (options.Follow || checkpointFile is not null) output.Flush();
                    if (checkpointFile is not null) CheckpointFile.Save(checkpointFile, item.After!);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        output.Flush();
        await tailer.Completion.ConfigureAwait(false);
        return 0;
    }

    private static void WriteLine(Stream output, string line)
    {
        output.Write(System.Text.Encoding.UTF8.GetBytes(line));
        output.WriteByte((byte)'\n');
    }

    private static T Positive<T>(T value, string name) where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new ArgumentException($"{name} must be positive, got {value}");
}
