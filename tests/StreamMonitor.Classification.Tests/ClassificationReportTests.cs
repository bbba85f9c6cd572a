using StreamMonitor.Classification.Models;
using StreamMonitor.Classification.Training;

namespace StreamMonitor.Classification.Tests;

public sealed class ClassificationReportTests
{
    [Fact]
    public void ScoresMatchAHandCount()
    {
        // truth:     a a a a b b c c c c
        // predicted: a a b ? b b c a c c    (? = undefined)
        int u = ClassifierModel.Undefined;
        var report = new ClassificationReport(["a", "b", "c"], [0, 0, 0, 0, 1, 1, 2, 2, 2, 2], [0, 0, 1, u, 1, 1, 2, 0, 2, 2]);
        Assert.Equal(2, report.Confusion[0, 0]);
        Assert.Equal(1, report.Confusion[0, 1]);
        Assert.Equal(1, report.Undefined[0]);
        Assert.Equal(1, report.Confusion[2, 0]);
        // a: tp 2, fp 1 (the c predicted a), fn 2 → P 2/3, R 1/2, F1 4/7
        Assert.Equal(2.0 / 3, report.Precision[0], 12);
        Assert.Equal(0.5, report.Recall[0], 12);
        Assert.Equal(4.0 / 7, report.F1[0], 12);
        // b: tp 2, fp 1, fn 0 → F1 0.8; c: tp 3, fp 0, fn 1 → F1 6/7
        Assert.Equal(0.8, report.F1[1], 12);
        Assert.Equal(6.0 / 7, report.F1[2], 12);
        // micro: tp 7, fp 2, fn 3 → 14/19
        Assert.Equal(14.0 / 19, report.MicroF1, 12);
        var json = report.ToJson();
        Assert.Equal(14.0 / 19, json["micro_f1"]!.GetValue<double>(), 12);
        Assert.Equal(2, json["confusion"]![0]![0]!.GetValue<long>());
        Assert.Equal(0.8, json["per_class"]!["b"]!["f1"]!.GetValue<double>(), 12);
        Assert.Contains("micro-F1 0.7368", report.ToText());
    }
}
