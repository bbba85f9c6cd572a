using Orleans.Serialization;
using StreamMonitor.Monitoring;

namespace StreamMonitor.Contracts;

/// <summary>
/// How the cluster carries the monitoring records (<see cref="FrameSummary"/>, <see cref="RunEvent"/>, ...): they live in
/// the Orleans-free monitoring library, so instead of generated serializers they cross the wire in their JSON contract
/// form (<see cref="ContractJson"/>), the same form the API and <c>watch --json</c> give.
/// </summary>
public static class MonitoringSerialization
{
    public static ISerializerBuilder AddMonitoringTypes(this ISerializerBuilder builder) =>
        builder.AddJsonSerializer(IsMonitoringType, ContractJson.Options);

    public static bool IsMonitoringType(Type type) => type.Assembly == typeof(FrameSummary).Assembly;
}
