using Twin.Model.Devices;

namespace Twin.Contracts.Streams;

/// <summary>Stream provider and namespaces (docs/architecture.md, "Streams").</summary>
public static class TwinStreams
{
    public const string Provider = "twin";

    /// <summary>Device health/state changes, keyed by site.</summary>
    public const string State = "state";

    /// <summary>Flows, cross-site transfers, checkpoint bursts, keyed by site.</summary>
    public const string Traffic = "traffic";

    /// <summary>Factory-wide events (DCI links, site summaries), keyed by <see cref="FactoryKey"/>.</summary>
    public const string Factory = "factory";

    public const string FactoryKey = "factory";

    /// <summary>DCI links belong to no site: their changes go to the factory coordinator.</summary>
    public static StreamId StateStreamFor(DeviceKind kind, string site) =>
        kind == DeviceKind.Dci ? StreamId.Create(Factory, FactoryKey) : StreamId.Create(State, site);
}
