using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Twin.Contracts.Rewind;
using Twin.Api.Problems;
using Twin.Api.Rewind;
using Twin.Api.Security;
using Twin.Api.Views;
using Twin.Contracts.Devices;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Telemetry;
using Twin.Model.Topology;

namespace Twin.Api.Endpoints;

/// <summary><c>/api/v1/devices</c>: filtered, cursor-paged list and each device's mirrored state.</summary>
public static class DeviceEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapDevices(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/devices").WithTags("devices");
        api.MapGet("/", List).WithSummary("Devices filtered by site, kind and health, in pages of at most 1,000 with an opaque cursor.");
        api.MapGet("/{id}/history", History)
            .WithSummary("Recent points of a device's metrics (one metric with ?metric=), between since and until (event time).");
        // ids contain '/': clients send them percent-encoded (east%2Fgpu%2Fh0001-0); the catch-all also accepts them raw
        api.MapGet("/{**id}", Get).WithSummary("A device's full mirrored state; 404 for an unknown id.");
        return app;
    }

    private static async Task<Results<Ok<DevicePage>, ProblemHttpResult>> List(
        IGrainFactory grains, FactoryTopology topology, TenantScope scope, HttpContext context,
        string? site = null, string? kind = null, string? health = null, int? limit = null, string? cursor = null)
    {
        if (site is not null && !topology.HasSite(site))
        {
            return Problems.Problems.BadRequest("site", $"site '{site}' does not exist; sites are {string.Join(", ", topology.SiteNames)} (and dci)");
        }
        DeviceKind? kindFilter = null;
        if (kind is not null)
        {
            if (!DeviceKinds.TryParseKind(kind, out var k))
            {
                return Problems.Problems.BadRequest("kind", $"kind '{kind}' is not one of {string.Join(", ", Enum.GetValues<DeviceKind>().Select(x => x.Name()))}");
            }
            kindFilter = k;
        }
        DeviceHealth? healthFilter = null;
        if (health is not null)
        {
            if (!DeviceKinds.TryParseHealth(health, out var h))
            {
                return Problems.Problems.BadRequest("health", $"health '{health}' is not one of {string.Join(", ", Enum.GetValues<DeviceHealth>().Select(x => x.Name()))}");
            }
            healthFilter = h;
        }
        var pageSize = limit ?? DefaultLimit;
        if (pageSize is < 1 or > MaxLimit)
        {
            return Problems.Problems.BadRequest("limit", $"limit must be between 1 and {MaxLimit}");
        }
        var start = 0;
        if (cursor is not null && (!DeviceCursor.TryDecode(cursor, out start) || start < 0 || start > topology.Devices.Count))
        {
            return Problems.Problems.BadRequest("cursor", "cursor is not one this API issued; start again without it");
        }

        var unhealthy = await Unhealthy(grains, topology, site);
        var visible = await scope.Devices(context.User) ?? (_ => true);
        var items = new List<DeviceListItem>(Math.Min(pageSize, 1024));
        var devices = topology.Devices;
        var i = start;
        for (; i < devices.Count && items.Count < pageSize; i++)
        {
            var d = devices[i];
            if ((site is not null && d.Site != site) || (kindFilter is { } kf && d.Kind != kf) || !visible(d))
            {
                continue;
            }
            var h = unhealthy.GetValueOrDefault(d.Id, DeviceHealth.Healthy);
            if (healthFilter is { } hf && h != hf)
            {
                continue;
            }
            items.Add(new DeviceListItem(d.Id, d.Kind, d.Site, h, d.Model, d.Tier, d.Host));
        }
        // look ahead so the last page says so instead of handing out a cursor to an empty page
        var more = false;
        for (var j = i; j < devices.Count; j++)
        {
            var d = devices[j];
            if ((site is null || d.Site == site) && (kindFilter is null || d.Kind == kindFilter) && visible(d) &&
                (healthFilter is null || unhealthy.GetValueOrDefault(d.Id, DeviceHealth.Healthy) == healthFilter))
            {
                more = true;
                break;
            }
        }
        return TypedResults.Ok(new DevicePage(items, more ? DeviceCursor.Encode(i) : null, items.Count));
    }

    private static async Task<Results<Ok<DeviceView>, Ok<DeviceHistory>, Ok<DeviceAtView>, ProblemHttpResult>> Get(
        string id, IGrainFactory grains, FactoryTopology topology, FactoryRewind rewind, TimeProvider time, TenantScope scope, HttpContext context,
        string? metric = null, DateTimeOffset? since = null, DateTimeOffset? until = null, string? at = null)
    {
        var deviceId = Uri.UnescapeDataString(id);
        var visible = await scope.Devices(context.User) ?? (_ => true);
        if (!topology.TryGetPath(deviceId, out var device) || !visible(device))
        {
            // a raw (unencoded) id followed by /history
            const string suffix = "/history";
            if (deviceId.EndsWith(suffix, StringComparison.Ordinal) && topology.TryGet(deviceId[..^suffix.Length], out _))
            {
                var history = await History(deviceId[..^suffix.Length], grains, topology, scope, context, metric, since, until);
                return history.Result is Ok<DeviceHistory> ok ? ok : (ProblemHttpResult)history.Result;
            }
            return Problems.Problems.NotFound("device", deviceId);
        }
        if (at is not null)
        {
            var (when, error) = RewindTime.Parse(at, time.GetUtcNow());
            return when is { } t ? TypedResults.Ok(await rewind.Device(device, t)) : Problems.Problems.BadRequest("at", error!);
        }
        return TypedResults.Ok(await grains.Get(device.Kind, device.Id).GetView());
    }

    private static async Task<Results<Ok<DeviceHistory>, ProblemHttpResult>> History(
        string id, IGrainFactory grains, FactoryTopology topology, TenantScope scope, HttpContext context,
        string? metric = null, DateTimeOffset? since = null, DateTimeOffset? until = null)
    {
        var deviceId = Uri.UnescapeDataString(id);
        if (!topology.TryGet(deviceId, out var device) || (await scope.Devices(context.User) is { } visible && !visible(device)))
        {
            return Problems.Problems.NotFound("device", deviceId);
        }
        Metric? wanted = null;
        if (metric is not null)
        {
            if (!MetricCatalog.TryParse(metric, out var m))
            {
                return Problems.Problems.BadRequest("metric", $"'{metric}' is not a canonical metric name; see GET /api/v1/metrics/catalog or the README");
            }
            if (MetricCatalog.Slot(device.Kind, m) < 0)
            {
                return Problems.Problems.BadRequest("metric", $"a {device.Kind.Name()} does not report '{metric}'");
            }
            wanted = m;
        }
        if (since is { } s && until is { } u && u < s)
        {
            return Problems.Problems.BadRequest("until", "until is before since");
        }
        return TypedResults.Ok(await grains.Get(device.Kind, device.Id).GetHistory(wanted, since, until));
    }

    /// <summary>Health of every non-healthy device in scope, from the coordinators' indexes (no device calls).</summary>
    internal static async Task<IReadOnlyDictionary<string, DeviceHealth>> Unhealthy(IGrainFactory grains, FactoryTopology topology, string? site)
    {
        var sites = site is null ? topology.SiteNames.ToList() : site == "dci" ? [] : [site];
        var maps = await Task.WhenAll(sites.Select(s => grains.GetGrain<ISiteCoordinatorGrain>(s).GetUnhealthy().AsTask()));
        var merged = new Dictionary<string, DeviceHealth>(StringComparer.Ordinal);
        foreach (var map in maps)
        {
            foreach (var (k, v) in map)
            {
                merged[k] = v;
            }
        }
        if (site is null or "dci")
        {
            var factory = await grains.GetGrain<IFactoryGrain>(TwinStreams.FactoryKey).GetSummary();
            foreach (var l in factory.DciLinks.Where(l => l.Health != DeviceHealth.Healthy))
            {
                merged[l.Id] = l.Health;
            }
        }
        return merged;
    }
}
