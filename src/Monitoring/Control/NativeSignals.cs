using System.Runtime.InteropServices;

namespace StreamMonitor.Monitoring.Control;

/// <summary>
/// libc's <c>kill(2)</c>: .NET can only send SIGKILL (<see cref="System.Diagnostics.Process.Kill()"/>), and a graceful
/// stop needs SIGTERM or SIGINT.
/// </summary>
internal static partial class NativeSignals
{
    /// <summary>errno: the process does not exist (it has exited and been reaped).</summary>
    public const int NoSuchProcess = 3;

    /// <summary>errno: the caller may not signal that process (another user's).</summary>
    public const int NotPermitted = 1;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; 0 on success, otherwise the errno.</summary>
    public static int Send(int pid, int signal) => kill(pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
