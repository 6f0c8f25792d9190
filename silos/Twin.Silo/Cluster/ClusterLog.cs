namespace Twin.Silo.Cluster;

internal static partial class ClusterLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster profile: cluster '{ClusterId}', silo port {SiloPort}, gateway port {GatewayPort}, schema {Schema}")]
    public static partial void Profile(ILogger logger, string clusterId, int siloPort, int gatewayPort, string schema);
}
