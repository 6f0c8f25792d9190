using System.CommandLine;
using System.Globalization;
using Twin.Client;
using Twin.Contracts.Sites;
using Twin.Model.Devices;

namespace Twin.Silo.Cli.Remote;

/// <summary><c>twin get sites|devices|faults|jobs|inference</c>: lists from a running twin, as a table or JSON.</summary>
public static class GetCommand
{
    public static Command Create()
    {
        var remote = new RemoteOptions();
        var site = new Option<string?>("--site") { Description = "only this site" };
        var kind = new Option<string?>("--kind") { Description = "devices: gpu, switch, link, storage, dpu, dci; faults: a fault kind such as gpu-xid" };
        kind.CompletionSources.Add(_ => ["gpu", "switch", "link", "storage", "dpu", "dci"]);
        var health = new Option<string?>("--health") { Description = "devices: healthy, degraded, draining, quarantined, failed" };
        health.AcceptOnlyFromAmong(Enum.GetValues<DeviceHealth>().Select(h => h.Name()).ToArray());
        var active = new Option<bool?>("--active") { Description = "faults: only active (true) or only repaired (false)" };

        var sites = new Command("sites", "Every site with GPU health counts, usable GPUs, switches, links and active faults.").WithExamples("twin get sites", "twin get sites -o wide", "twin get sites -o json --url http://twin:5000 --key $KEY");
        sites.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var list = await client.GetSitesAsync(token);
            Sites(output, list, r.GetValue(remote.Output));
            return ExitCodes.Ok;
        }));

        var devices = new Command("devices", "Devices (every page), filtered by site, kind and health.")
        {
            site, kind, health,
        }.WithExamples("twin get devices --site east --kind gpu", "twin get devices --health failed -o wide", "twin get devices -o json | jq length");
        devices.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var items = new List<Client.Views.DeviceListItem>();
            await foreach (var d in client.ListDevicesAsync(r.GetValue(site), r.GetValue(kind), r.GetValue(health), cancellationToken: token))
            {
                items.Add(d);
            }
            var format = r.GetValue(remote.Output);
            if (format == OutputFormat.Json)
            {
                output.Json(items);
            }
            else
            {
                output.Table(format == OutputFormat.Wide ? ["id", "kind", "site", "health", "model", "tier", "host"] : ["id", "kind", "site", "health"],
                    items.Select(d => format == OutputFormat.Wide
                        ? new[] { d.Id, d.Kind.Name(), d.Site, d.Health.Name(), d.Model, d.Tier, d.Host }
                        : new[] { d.Id, d.Kind.Name(), d.Site, d.Health.Name() }));
            }
            return ExitCodes.Ok;
        }));

        var faultSite = new Option<string?>("--site") { Description = "only faults on this site" };
        var faultKind = new Option<string?>("--kind") { Description = "only this fault kind, e.g. gpu-xid" };
        var faults = new Command("faults", "Faults, newest last: kind, target, active or repaired, devices affected.")
        {
            faultSite, faultKind, active,
        }.WithExamples("twin get faults --active true", "twin get faults --site east -o wide");
        faults.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var list = await client.ListFaultsAsync(r.GetValue(active), r.GetValue(faultSite), r.GetValue(faultKind), token);
            var format = r.GetValue(remote.Output);
            if (format == OutputFormat.Json)
            {
                output.Json(list);
                return ExitCodes.Ok;
            }
            var wide = format == OutputFormat.Wide;
            output.Table(wide ? ["id", "kind", "target", "state", "at", "affected", "site", "source", "summary"] : ["id", "kind", "target", "state", "at", "affected"],
                list.Select(f =>
                {
                    string?[] row = [f.Id, f.Kind, f.Target, f.Active ? "active" : "repaired", f.At.ToString("u", CultureInfo.InvariantCulture),
                        f.AffectedDevices.ToString(CultureInfo.InvariantCulture)];
                    return wide ? [.. row, f.Site, f.Source, f.Summary] : row;
                }));
            return ExitCodes.Ok;
        }));

        var jobs = new Command("jobs", "Training jobs with state, GPUs, step time and goodput.").WithExamples("twin get jobs", "twin get jobs -o json");
        jobs.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var list = await client.ListJobsAsync(token);
            var format = r.GetValue(remote.Output);
            if (format == OutputFormat.Json)
            {
                output.Json(list);
                return ExitCodes.Ok;
            }
            var wide = format == OutputFormat.Wide;
            output.Table(wide ? ["id", "name", "state", "gpus", "sites", "step ms", "goodput", "mfu", "tokens/s", "interruptions"] : ["id", "name", "state", "gpus", "sites", "step ms", "goodput"],
                list.Select(j =>
                {
                    string?[] row = [j.Id, j.Name, j.State, j.Gpus.ToString(CultureInfo.InvariantCulture), string.Join(",", j.Sites),
                        j.StepTimeMs.ToString("0.0", CultureInfo.InvariantCulture), j.Goodput.ToString("P1", CultureInfo.InvariantCulture)];
                    return wide
                        ? [.. row, j.Mfu.ToString("P1", CultureInfo.InvariantCulture), j.TokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                            j.Interruptions.ToString(CultureInfo.InvariantCulture)]
                        : row;
                }));
            return ExitCodes.Ok;
        }));

        var inference = new Command("inference", "Inference services with replicas up, utilisation, TTFT/TPOT and SLA state.")
            .WithExamples("twin get inference", "twin get inference -o json");
        inference.SetAction((r, ct) => RemoteCall.Run(r, remote, ct, async (client, output, token) =>
        {
            var list = await client.ListInferenceAsync(token);
            if (r.GetValue(remote.Output) == OutputFormat.Json)
            {
                output.Json(list);
                return ExitCodes.Ok;
            }
            output.Table(["id", "name", "site", "state", "replicas", "req/s", "capacity", "ttft ms", "tpot ms"],
                list.Select(v => (IReadOnlyList<string?>)[v.Id, v.Name, v.Site, v.State, $"{v.HealthyReplicas}/{v.Replicas}",
                    v.RequestsPerSecond.ToString("0.#", CultureInfo.InvariantCulture), v.CapacityRequestsPerSecond.ToString("0.#", CultureInfo.InvariantCulture),
                    v.TtftMs is { } ttft ? ttft.ToString("0", CultureInfo.InvariantCulture) : "overloaded", v.TpotMs.ToString("0.0", CultureInfo.InvariantCulture)]));
            return ExitCodes.Ok;
        }));

        return remote.AddTo(new Command("get", "List resources of a running twin (--url, --key).") { sites, devices, faults, jobs, inference });
    }

    private static void Sites(CliOutput output, IReadOnlyList<SiteSummary> sites, OutputFormat format)
    {
        if (format == OutputFormat.Json)
        {
            output.Json(sites);
            return;
        }
        var wide = format == OutputFormat.Wide;
        output.Table(wide
                ? ["site", "gpus", "healthy", "degraded", "failed", "usable", "switches up", "links up", "faults", "gpu model", "network", "bisection tbps", "jobs"]
                : ["site", "gpus", "healthy", "degraded", "failed", "usable", "switches up", "links up", "faults"],
            sites.Select(s =>
            {
                string?[] row = [s.Name, N(s.Gpus.Total), N(s.Gpus.Healthy), N(s.Gpus.Degraded), N(s.Gpus.Failed), N(s.UsableGpus),
                    $"{s.Switches.Total - s.Switches.Failed}/{s.Switches.Total}", $"{s.Links.Total - s.Links.Failed}/{s.Links.Total}", N(s.ActiveFaults)];
                return wide
                    ? [.. row, s.GpuModel, s.Network, $"{s.BisectionAvailableTbps:0.#}/{s.BisectionTbps:0.#}", N(s.Jobs)]
                    : row;
            }));
    }

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
