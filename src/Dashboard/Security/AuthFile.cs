using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamMonitor.Dashboard.Security;

/// <summary>
/// The auth file (<c>auth.json</c> in the server's data folder unless <c>--auth</c> names another): users with salted
/// password hashes and API keys as SHA-256 hashes, written by <c>streammonitor users</c> and <c>keys</c>. It is written
/// whole to a new file and renamed over the old one, so a reader (the running server) sees the old content or the
/// new, never half of it; it is created readable by its owner only, and a file others can read or write is refused.
/// </summary>
public static class AuthFile
{
    public const string DefaultName = "auth.json";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    public static string DefaultPath(string dataDirectory) => Path.Combine(dataDirectory, DefaultName);

    /// <summary>The credentials in <paramref name="path"/>; none when the file does not exist.</summary>
    public static CredentialSet Load(string path)
    {
        if (!File.Exists(path)) return CredentialSet.Empty;
        CheckPermissions(path);
        CredentialSet set;
        try
        {
            set = JsonSerializer.Deserialize<CredentialSet>(File.ReadAllText(path), Json) ?? throw new FormatException($"{path}: null instead of an object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: {e.Message}");
        }
        Validate(path, set);
        return set;
    }

    /// <summary>Replaces the file's content with <paramref name="set"/> in one rename; the file is readable by its owner only.</summary>
    public static void Save(string path, CredentialSet set)
    {
        var full = Path.GetFullPath(path);
        var folder = CreateFolder(full);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
            using (var stream = new FileStream(temp, options))
            {
                JsonSerializer.Serialize(stream, set, Json);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>
    /// Reads the file, applies <paramref name="change"/> and writes the result, holding a lock beside the file so two
    /// commands run at once do not drop each other's change.
    /// </summary>
    public static CredentialSet Update(string path, Func<CredentialSet, CredentialSet> change)
    {
        var full = Path.GetFullPath(path);
        CreateFolder(full);
        using var guard = Lock(full + ".lock");
        var updated = change(Load(full));
        Save(full, updated);
        return updated;
    }

    /// <summary>The file's folder, created private to its owner when it does not exist yet (a first <c>users add</c> before any <c>serve</c>).</summary>
    private static string CreateFolder(string file)
    {
        var folder = Path.GetDirectoryName(file)!;
        if (Directory.Exists(folder)) return folder;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
        return folder;
    }

    private static FileStream Lock(string lockPath)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
                return new FileStream(lockPath, options);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }
        }
    }

    private static void CheckPermissions(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(path);
        if ((mode & Others) != 0)
            throw new IOException($"{path}: other users can read or write it (mode {Octal(mode)}); run chmod 600 {path}");
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');

    private static void Validate(string path, CredentialSet set)
    {
        Validate(path, "users", set.Users, user => Passwords.IsHash(user.PasswordHash) ? null : "'password_hash' is not a password hash ('streammonitor users add' makes one)");
        Validate(path, "keys", set.Keys, key => Secrets.IsHash(key.Sha256) ? null : "'sha256' is not 64 hex digits ('streammonitor keys add' makes it)");
    }

    private static void Validate<T>(string path, string field, IReadOnlyList<T> entries, Func<T, string?> secretProblem) where T : Credential
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var at = $"{path}: {field}[{i}]";
            Check(at, () => CredentialSet.CheckName(entry.Name, entry.Kind));
            if (!names.Add(entry.Name)) throw new FormatException($"{at}: {entry.Kind} '{entry.Name}' appears twice");
            if (secretProblem(entry) is { } problem) throw new FormatException($"{at}: {problem}");
        }
    }

    private static void Check(string at, Action check)
    {
        try
        {
            check();
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{at}: {e.Message}");
        }
    }
}
