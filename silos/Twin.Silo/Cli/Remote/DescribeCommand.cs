using Twin.Model.Fabric;
using System.CommandLine;
using System.Globalization;
using Twin.Model.Devices;

namespace Twin.Silo.Cli.Remote;

/// <summary><c>twin describe device ID</c>: one device's full mirrored state.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var id = new Argument<string>("id") { Description = "device id, e.g. east/gpu/h0000-1" };
        var device = new Command("device", "A device's health and why, state, last telemetry, active faults, attributes and latest metrics.")
        {
            id,
        }.WithExamples("twin describe device east/gpu/h0000-1", "twin describe device east/switch/leaf-00 -o json");
        device.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var d = await client.GetDeviceAsync(r.GetValue(id)!, token);
            if (r.GetValue(remote.Output) == OutputFormat.Json)
            {
                output.Json(d);
                return ExitCodes.Ok;
            }
            var rows = new List<(string, string?)>
            {
                ("id", d.Id), ("kind", d.Kind.Name()), ("site", d.Site), ("health", d.Health.Name()), ("reason", d.HealthReason),
                ("state", d.State?.Name()), ("last update", d.LastUpdate?.ToString("u", CultureInfo.InvariantCulture) ?? "never"),
                ("samples", d.Samples.ToString(CultureInfo.InvariantCulture)),
                ("active faults", d.ActiveFaults.Count == 0 ? "none" : string.Join(", ", d.ActiveFaults)),
            };
            rows.AddRange(d.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => ("attribute " + a.Key, (string?)a.Value)));
            rows.AddRange(d.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => ("metric " + m.Key, (string?)m.Value.ToString("0.###", CultureInfo.InvariantCulture))));
            output.Properties(rows);
            return ExitCodes.Ok;
        }));
        return remote.AddTo(new Command("describe", "Show one resource of a running twin in detail.") { device });
    }
}
