using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using StreamMonitor.Monitoring;
using StreamMonitor.Monitoring.Campaigns;

namespace StreamMonitor.Cli.Campaigns;

/// <summary>
/// <c>streammonitor campaign analyse DIR</c>: p_B per shooting point with its interval, the committor histogram of the
/// candidate transition states, and the reaction coordinates that best explain the outcomes (likelihood maximisation,
/// ranked by BIC). Reads the campaign's record, so it works while the campaign runs and after.
/// </summary>
internal static class AnalyseCampaignCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "The campaign's folder (its \"directory\"), or its campaign.json." };
        var json = new Option<bool>("--json") { Description = "Print the analysis as JSON." };
        var quantities = new Option<string?>("--quantities") { Description = "Comma-separated summary quantities to build coordinates from (default: every one that varies between the points)." };
        var confidence = new Option<double>("--confidence") { Description = "Confidence of the p_B intervals.", DefaultValueFactory = _ => 0.95 };
        var terms = new Option<int>("--max-terms") { Description = "The most quantities one coordinate combines.", DefaultValueFactory = _ => 2 };
        var candidates = new Option<string?>("--candidates") { Description = "A points manifest (campaign points) to pick the next shooting point from (default: the campaign's points)." };
        var noModel = new Option<bool>("--no-model") { Description = "Skip the learnt committor model (a network trained on the outcomes)." };
        var command = new Command("analyse", "Committor per point, committor histogram and the best reaction coordinates of a campaign.")
        {
            dir, json, quantities, confidence, terms, candidates, noModel,
        };
        command.Aliases.Add("analyze");
        command.SetAction((result, _) => CliErrors.RunAsync(() => Task.FromResult(Run(result.GetValue(dir)!, result.GetValue(json),
            result.GetValue(quantities), result.GetValue(confidence), result.GetValue(terms), result.GetValue(candidates), !result.GetValue(noModel)))));
        return command;
    }

    private static int Run(string dir, bool json, string? quantities, double confidence, int maxTerms, string? candidates, bool model)
    {
        if (maxTerms < 1) throw new ArgumentException($"--max-terms must be at least 1, got {maxTerms}");
        var status = CampaignRecordFile.Read(dir);
        var chosen = quantities?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var analysis = CampaignAnalysis.Of(status, chosen, confidence, maxTerms, candidates is null ? null : ShootingPointSet.Load(candidates).Points, model);
        Console.Write(json ? JsonSerializer.Serialize(analysis, ContractJson.Options) + "\n" : Text(analysis));
        return 0;
    }

    private static string Text(CampaignAnalysis analysis)
    {
        var text = new StringBuilder();
        void Line(FormattableString line) => text.AppendLine(line.ToString(CultureInfo.InvariantCulture));
        Line($"campaign {analysis.Campaign}: A = {analysis.BasinA}, B = {analysis.BasinB}; {CampaignText.Progress(analysis.Counts)}");
        Line($"{CampaignText.Steps(analysis.Counts)}");
        Line($"");
        Line($"{"point",-14} {"n_max",7} {"to A",5} {"to B",5} {"undec.",6}  {"p_B",5}  {analysis.Confidence * 100:0}% interval");
        foreach (var p in analysis.Points.OrderBy(p => p.Values.GetValueOrDefault("n_max", double.NaN)))
        {
            var nMax = p.Values.TryGetValue("n_max", out var n) ? n.ToString("0", CultureInfo.InvariantCulture) : "-";
            var pB = p.PB is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) : "  -  ";
            var interval = p.Lower is { } lo && p.Upper is { } hi ? string.Create(CultureInfo.InvariantCulture, $"[{lo:0.00}, {hi:0.00}]") : "";
            Line($"{p.PointId,-14} {nMax,7} {p.ToA,5} {p.ToB,5} {p.Undecided,6}  {pB,5}  {interval}{(p.MayBeTransitionState ? "  ½ in interval" : "")}");
        }
        Line($"");
        var h = analysis.Histogram;
        Line($"committor histogram of the {h.Points} points whose interval holds ½ ({h.Counts.Count} bins over [0, 1]): {string.Join(" ", h.Counts)}");
        Line($"");
        if (analysis.Coordinates.Count == 0) Line($"reaction coordinate: none ({analysis.CoordinateNote})");
        else Coordinates(analysis, Line);
        Line($"");
        if (analysis.Model is not { } learnt)
        {
            Line($"learnt committor: none ({analysis.ModelNote})");
            return text.ToString();
        }
        var linear = analysis.Coordinates.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"; best linear coordinate {analysis.Coordinates[0].LogLikelihood:0.00}") : "";
        Line($"learnt committor (network {string.Join("x", learnt.Hidden)} on {learnt.NShots} shots from {learnt.NPoints} points): ln L = {learnt.LogLikelihood:0.00}{linear}");
        Line($"  follows: {string.Join(", ", learnt.Sensitivities.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Input} {s.Weight:0.00}")))}");
        if (analysis.Next is { } next) Line($"  next shooting point: {next.Id} (predicted p_B {next.PB:0.00})");
        return text.ToString();
    }

    private static void Coordinates(CampaignAnalysis analysis, Action<FormattableString> line)
    {
        line($"reaction coordinates, p_B = ½(1 + tanh r), best BIC first (candidates: {string.Join(", ", analysis.Candidates)}):");
        foreach (var fit in analysis.Coordinates)
        {
            var terms = string.Concat(fit.Quantities.Select((q, i) =>
                string.Create(CultureInfo.InvariantCulture, $" {(fit.Coefficients[i + 1] < 0 ? "-" : "+")} {Math.Abs(fit.Coefficients[i + 1]):G4}(±{fit.StandardErrors[i + 1]:G2})·{q}")));
            line($"  r = {fit.Coefficients[0]:G4}(±{fit.StandardErrors[0]:G2}){terms}   ln L = {fit.LogLikelihood:0.00}  BIC = {fit.Bic:0.00}  ({fit.Shots} shots)");
        }
    }
}
