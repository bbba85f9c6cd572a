using StreamMonitor.Dashboard.Hosting;

namespace StreamMonitor.Cli.Tests.Metrics;

/// <summary>The <c>influx</c> key of <c>serve --config</c>: where the cluster's metrics go, secrets from files.</summary>
public sealed class InfluxConfigTests : IDisposable
{
    private readonly ServerConfigScratch _config = new();

    public void Dispose() => _config.Dispose();

    private ServerOptions Apply(string json) => _config.Apply(json);

    [Fact]
    public void A_1x_database_with_a_password_file_beside_the_config()
    {
        File.WriteAllText(_config.Folder.File("influx-password"), "s3cret\n");
        var influx = Apply("""{ "influx": { "url": "http://influxdb:8086", "db": "streammonitor", "user": "writer", "password_file": "influx-password" } }""").Influx!;
        Assert.Equal(new Uri("http://influxdb:8086"), influx.Url);
        Assert.Equal("streammonitor", influx.Database);
        Assert.Equal("writer", influx.User);
        Assert.Equal("s3cret", influx.Password);
        Assert.Equal(Path.Combine(_config.Folder.File("data"), "influx-spill"), influx.SpillDirectory);
        Assert.False(influx.IsV2);
    }

    [Theory]
    [InlineData("""{ "influx": { "db": "x" } }""", "influx.url")]
    [InlineData("""{ "influx": { "url": "http://i:8086", "database": "x" } }""", "unknown key 'database'")]
    [InlineData("""{ "influx": { "url": "http://i:8086", "db": "x", "password_file": "missing" } }""", "influx.password_file")]
    [InlineData("""{ "influx": { "url": "http://i:8086" } }""", "influx: ")]
    public void A_wrong_influx_setting_is_refused_naming_it(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => Apply(json));
        Assert.Contains(expected, error.Message);
    }
}
