using System.CommandLine;
using System.Globalization;
using Twin.Client.Views;
using Twin.Contracts.Faults;

namespace Twin.Silo.Cli.Remote;

/// <summary><c>twin fault inject KIND TARGET</c> and <c>twin fault repair ID</c>.</summary>
public static class FaultCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var kind = new Argument<string>("kind") { Description = "fault kind: gpu-xid, switch-down, link-flap, site-power-loss, ... (GET /api/v1/faults/kinds)" };
        var target = new Argument<string>("target") { Description = "device id, site/host/hNNNN, a site name, or dci/a-b" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "kind-specific parameter as key=value, repeatable (e.g. --param xid=79)", AllowMultipleArgumentsPerToken = false };
        var duration = new Option<string?>("--duration") { Description = "lifetime after which it repairs itself: 90s, 15m, 6h or 00:15:00" };
        var inject = new Command("inject", "Inject a fault: the target and what depends on it change state at once. Prints the fault id.")
        {
            kind, target, parameters, duration,
        }.WithExamples("twin fault inject gpu-xid east/gpu/h0000-1 --param xid=79", "twin fault inject switch-down east/switch/leaf-00 --duration 15m", "id=$(twin fault inject gpu-xid east/gpu/h0000-1 -p xid=79 -o json | jq -r .id)");
        inject.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in r.GetValue(parameters) ?? [])
            {
                var eq = p.IndexOf('=');
                if (eq <= 0)
                {
                    return RemoteCall.Usage(output, $"--param '{p}' is not key=value");
                }
                map[p[..eq]] = p[(eq + 1)..];
            }
            var fault = await client.InjectFaultAsync(new FaultRequest(r.GetValue(kind)!, r.GetValue(target)!, map, null, r.GetValue(duration)), token);
            Write(output, fault, r.GetValue(remote.Output), "injected");
            return ExitCodes.Ok;
        }));

        var id = new Argument<string>("id") { Description = "the fault id that inject printed" };
        var repair = new Command("repair", "Repair a fault: its devices return to the state their telemetry shows.")
        {
            id,
        }.WithExamples("twin fault repair f-1a2b3c", "twin get faults --active true -o json | jq -r '.[].id' | xargs -n1 twin fault repair");
        repair.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            Write(output, await client.RepairFaultAsync(r.GetValue(id)!, token), r.GetValue(remote.Output), "repaired");
            return ExitCodes.Ok;
        }));
        return remote.AddTo(new Command("fault", "Inject and repair faults on a running twin.") { inject, repair });
    }

    private static void Write(CliOutput output, FaultView fault, OutputFormat format, string verb)
    {
        if (format == OutputFormat.Json)
        {
            output.Json(fault);
            return;
        }
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{fault.Id} {verb}: {fault.Kind} on {fault.Target} ({fault.AffectedDevices} devices affected) — {fault.Summary}"));
    }
}
