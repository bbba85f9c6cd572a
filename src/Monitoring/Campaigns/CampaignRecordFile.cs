using System.Text.Json;

namespace StreamMonitor.Monitoring.Campaigns;

/// <summary>
/// The campaign's record in its folder (<c>campaign.json</c>, a <see cref="CampaignStatus"/> in the contract's JSON),
/// rewritten whole (write, then rename) at every change, so a reader never sees half of it.
/// </summary>
public static class CampaignRecordFile
{
    public const string FileName = "campaign.json";

    private static readonly JsonSerializerOptions Indented = new(ContractJson.Options) { WriteIndented = true };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static void Write(CampaignStatus status)
    {
        var path = PathIn(status.Definition.Directory);
        Directory.CreateDirectory(status.Definition.Directory);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(status, Indented));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the record of the campaign in <paramref name="directory"/> (or of the file itself); errors name the file.</summary>
    public static CampaignStatus Read(string directory)
    {
        var path = File.Exists(directory) ? directory : PathIn(directory);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} does not exist: no campaign has run in {directory}", path);
        try
        {
            return JsonSerializer.Deserialize<CampaignStatus>(File.ReadAllText(path), ContractJson.Options)
                ?? throw new FormatException($"{path}: null");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path}: not a campaign record: {e.Message}", e);
        }
    }
}
