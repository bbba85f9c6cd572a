using System.Diagnostics;

namespace StreamMonitor.TestSupport;

/// <summary>Runs the real programs tests compare against (lmp, gmx, python3 with MDAnalysis) and fails loudly.</summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs to completion; throws with the program's stderr when it fails or takes longer than the timeout.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null,
        TimeSpan? timeout = null, bool check = true, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(program, arguments, workingDirectory, redirectInput: standardInput is not null, environment);
        if (standardInput is not null)
        {
            process.StandardInput.Write(standardInput);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time");
        }
        var result = new Result(process.ExitCode, stdout.Result, stderr.Result);
        if (check && result.ExitCode != 0)
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {result.ExitCode}:\n{Tail(result.StandardError)}\n{Tail(result.StandardOutput)}");
        return result;
    }

    /// <summary>Starts a program with redirected output and returns it running.</summary>
    public static Process Start(string program, IEnumerable<string> arguments, string? workingDirectory = null, bool redirectInput = false,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        try
        {
            return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{program} is not installed; run ./test.sh, which installs it", e);
        }
    }

    private static string Tail(string text) => text.Length > 3000 ? text[^3000..] : text;
}
