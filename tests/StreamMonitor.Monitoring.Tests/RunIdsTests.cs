namespace StreamMonitor.Monitoring.Tests;

public sealed class RunIdsTests
{
    [Theory]
    [InlineData("quench", true)]
    [InlineData("shots:s1:dump.lammpstrj", true)]
    [InlineData("A-1_b.c", true)]
    [InlineData("../../etc", false)]
    [InlineData(".hidden", false)]
    [InlineData("-rf", false)]
    [InlineData("a b", false)]
    [InlineData("a/b", false)]
    [InlineData("", false)]
    [InlineData("é", false)]
    public void Ids_are_safe_in_urls_file_names_and_arguments(string id, bool valid) => Assert.Equal(valid, RunIds.IsValid(id));

    [Fact]
    public void An_id_has_at_most_128_characters()
    {
        Assert.True(RunIds.IsValid(new string('a', 128)));
        Assert.False(RunIds.IsValid(new string('a', 129)));
        Assert.Contains("a letter or digit", Assert.Throws<ArgumentException>(() => RunIds.Validate("../x")).Message);
    }
}
