using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamMonitor.Ingest.IO;

/// <summary>
/// Opens a directory, which .NET's file APIs refuse. Held open, the directory keeps its inode number even once it is
/// removed, so a directory made again at the same path is sure to have another identity.
/// </summary>
internal static partial class DirectoryHandle
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC on x86_64 and arm64: a child process must not inherit it

    /// <summary>The open directory, or null where it cannot be opened (or off Linux).</summary>
    public static SafeFileHandle? Open(string path)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            int fd = open(path, ReadOnly | CloseOnExec);
            return fd >= 0 ? new SafeFileHandle(fd, ownsHandle: true) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int open(string path, int flags);
}
