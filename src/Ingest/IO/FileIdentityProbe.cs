using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using StreamMonitor.Core;

namespace StreamMonitor.Ingest.IO;

/// <summary>
/// Reads device and inode numbers, which .NET does not expose. On Linux both x86_64 and arm64 start
/// <c>struct stat</c> with st_dev and st_ino as 64-bit fields, so only those 16 bytes are read.
/// Elsewhere the identity is unknown and replacement is detected by size alone.
/// </summary>
internal static partial class FileIdentityProbe
{
    private const int StatBufferSize = 256;

    public static FileIdentity Of(string path)
    {
        if (!OperatingSystem.IsLinux()) return default;
        Span<byte> buffer = stackalloc byte[StatBufferSize];
        try
        {
            return stat(path, ref MemoryMarshal.GetReference(buffer)) == 0 ? Decode(buffer) : default;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return default;
        }
    }

    public static FileIdentity Of(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux()) return default;
        Span<byte> buffer = stackalloc byte[StatBufferSize];
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return fstat((int)handle.DangerousGetHandle(), ref MemoryMarshal.GetReference(buffer)) == 0 ? Decode(buffer) : default;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return default;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static FileIdentity Decode(ReadOnlySpan<byte> stat) =>
        new(MemoryMarshal.Read<ulong>(stat), MemoryMarshal.Read<ulong>(stat[8..]));

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int stat(string path, ref byte buffer);

    [LibraryImport("libc", EntryPoint = "fstat")]
    private static partial int fstat(int fd, ref byte buffer);
}
