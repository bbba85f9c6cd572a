using System.Globalization;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// Stops an engine that polls for a file: creates the file (and its directory), with one line saying who asked, why
/// and when. This is the LAMMPS pattern of the shipped example input:
/// <code>
/// variable stop equal is_file(STOP)
/// fix      halt all halt 100 v_stop > 0 error soft
/// </code>
/// where <c>error soft</c> ends the current run cleanly at the next check and the input script goes on.
/// </summary>
/// <remarks>
/// The file is written under a temporary name in the same directory and then moved into place without overwriting,
/// so an engine that checks for the file never sees it half-written, and a file already there (an earlier stop, or
/// one made by hand) is left alone and counts as success: stopping twice is harmless.
/// </remarks>
public sealed class StopFileStrategy : IStopStrategy
{
    /// <param name="path">Where to create the file; may hold placeholders such as <c>{dir}/STOP</c>. A relative path is taken from the current directory.</param>
    public StopFileStrategy(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("the stop file path is empty", nameof(path));
        if (path.EndsWith('/') || path.EndsWith(System.IO.Path.DirectorySeparatorChar))
            throw new ArgumentException($"the stop file path '{path}' names a directory, not a file", nameof(path));
        Path = path;
    }

    /// <summary>The path as configured, placeholders unexpanded.</summary>
    public string Path { get; }

    public async Task<StopOutcome> StopAsync(StopRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Placeholders.TryExpand(Path, request, out var expanded, out var error))
            return StopOutcome.Failed(StopStrategyKinds.File, $"did not create stop file {Path}", error);
        string path;
        try
        {
            path = System.IO.Path.GetFullPath(expanded);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return StopOutcome.Failed(StopStrategyKinds.File, $"did not create stop file {expanded}", e.Message);
        }

        if (Directory.Exists(path))
            return StopOutcome.Failed(StopStrategyKinds.File, $"did not create stop file {path}", "a directory of that name exists");
        if (File.Exists(path))
            return StopOutcome.Succeeded(StopStrategyKinds.File, $"stop file {path} already exists");

        var directory = System.IO.Path.GetDirectoryName(path)!;
        var temporary = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllTextAsync(temporary, Line(request), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, path, overwrite: false);
            return StopOutcome.Succeeded(StopStrategyKinds.File, $"created stop file {path}");
        }
        catch (IOException) when (File.Exists(path))
        {
            // Someone else created it between the check and the move: the engine sees a stop file all the same.
            return StopOutcome.Succeeded(StopStrategyKinds.File, $"stop file {path} already exists");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return StopOutcome.Failed(StopStrategyKinds.File, $"did not create stop file {path}", e.Message);
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static string Line(StopRequest request) => string.Create(CultureInfo.InvariantCulture,
        $"stop requested by {request.RequestedBy} for run {request.RunId}: {request.Reason} at {request.At:O}\n");

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a leftover temporary file; the outcome already says what happened to the stop file.
        }
    }
}
