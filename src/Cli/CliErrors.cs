using StreamMonitor.Ingest;

namespace StreamMonitor.Cli;

/// <summary>Turns the errors a user can cause into one line on stderr and an exit code, never a stack trace.</summary>
internal static class CliErrors
{
    public const int DataError = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException)
        {
            return 0;
        }
        catch (TrajectoryFormatException e)
        {
            return Fail(e.Message, DataError);
        }
        catch (FileNotFoundException e)
        {
            return Fail(e.Message, DataError);
        }
        catch (FormatException e)
        {
            return Fail(e.Message, DataError);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(e.Message, DataError);
        }
        catch (Classification.Oracles.OracleException e)
        {
            return Fail(e.Message, DataError);
        }
        catch (ArgumentException e)
        {
            return Fail(e.Message, UsageError);
        }
        catch (CliException e)
        {
            return Fail(e.Message, e.ExitCode);
        }
    }

    public static int Fail(string message, int code)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"streammonitor: {message}");
        return code;
    }
}
