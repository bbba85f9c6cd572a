using System.Runtime.InteropServices;

namespace StreamMonitor.Monitoring.Paths;

/// <summary>
/// libc's <c>realpath(3)</c>: .NET resolves a link only at the last component of a path, and confining a path to a folder
/// needs every component resolved (a symlinked folder in the middle is the usual way out).
/// </summary>
internal static partial class NativePaths
{
    /// <summary>The canonical absolute path of an existing file or folder, or null when it does not exist (or cannot be resolved).</summary>
    public static string? RealPath(string path)
    {
        nint resolved = realpath(path, 0);
        if (resolved == 0) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            free(resolved);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint realpath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void free(nint pointer);
}
