using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace StreamMonitor.Ingest.IO;

/// <summary>
/// Opens a trajectory for reading without the advisory lock .NET takes on Unix to emulate
/// <see cref="FileShare"/>. With that lock held, a writer that asks for exclusive access (a .NET
/// <c>File.Copy</c> or <c>FileShare.None</c> stream, for instance) fails while the monitor has the
/// file open, and a monitor must never make the simulation it watches fail.
/// </summary>
internal static partial class UnlockedFile
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000; // O_CLOEXEC on Linux x86_64 and arm64
    private const int NoSuchFile = 2;        // ENOENT
    private const int PermissionDenied = 13; // EACCES
    private const int IsDirectory = 21;      // EISDIR

    public static SafeFileHandle OpenRead(string path)
    {
        if (!OperatingSystem.IsLinux())
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (Directory.Exists(path)) throw new IOException($"{path}: is a directory, not a trajectory file");
        int fd = open(path, ReadOnly | CloseOnExec);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        throw errno switch
        {
            NoSuchFile => new FileNotFoundException($"{path}: no such file", path),
            PermissionDenied => new UnauthorizedAccessException($"{path}: permission denied"),
            IsDirectory => new IOException($"{path}: is a directory, not a trajectory file"),
            _ => new IOException($"{path}: cannot open ({Marshal.GetPInvokeErrorMessage(errno)})"),
        };
    }

    public static FileStream OpenReadStream(string path, int bufferSize) =>
        new(OpenRead(path), FileAccess.Read, bufferSize);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int open(string path, int flags);
}
