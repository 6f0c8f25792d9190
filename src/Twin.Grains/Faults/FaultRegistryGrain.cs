using System.Globalization;
using Microsoft.Extensions.Options;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Sites;
using Twin.Contracts.Streams;
using Twin.Model.Devices;
using Twin.Model.Faults;
using Twin.Model.Health;
using Twin.Model.Topology;

namespace Twin.Grains.Faults;

/// <summary>
/// The factory's faults. Injection plans the cascade (pure, in Twin.Model), applies it to every device
/// grain, writes the history entry, then answers — so a client that got 201 sees the device failed and
/// the fault in <c>/events</c>. Faults wider than <see cref="BulkThreshold"/> devices are applied quietly
/// and summarised to the site coordinator in one message, rather than one stream event per device.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class FaultRegistryGrain(
    FactoryTopology topology,
    FaultPlanner planner,
    IOptionsMonitor<HealthThresholds> thresholds,
    TimeProvider time) : Grain, IFaultRegistryGrain
{
    public const int BulkThreshold = 64;
    private const int ApplyChunk = 2048;

    private readonly Dictionary<string, FaultRecord> _faults = new(StringComparer.Ordinal);
    private readonly List<FaultRecord> _order = [];
    // open telemetry-raised fault per device
    private readonly Dictionary<string, FaultRecord> _byDevice = new(StringComparer.Ordinal);
    private long _next;
    private IEventLogGrain _log = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        return Task.CompletedTask;
    }

    public async Task<FaultOutcome> Inject(InjectFault request)
    {
        var (plan, rejection) = planner.Plan(new FaultRequest(request.Kind, request.Target, request.Parameters, request.At, request.Duration), thresholds.CurrentValue);
        if (rejection is not null)
        {
            return new FaultOutcome(null, rejection.Status, rejection.Field, rejection.Message);
        }
        var at = request.At ?? time.GetUtcNow();
        var record = new FaultRecord(NextId(), request, plan!.Site, plan.Summary, at) { Effects = plan.Effects };
        Add(record);

        await ApplyEffects(record, repair: false, at);
        await NotifySites(record, active: true);
        await _log.Append([Event(record, "fault-injected", at, plan.Summary)]);
        if (request.Duration is { } duration)
        {
            // the fault lasts 'duration' of event time; live, that is the same span of wall time
            this.RegisterGrainTimer(static (state, _) => state.Grain.AutoRepair(state.Id, state.At),
                (Grain: this, record.Id, At: at + duration),
                new GrainTimerCreationOptions { DueTime = duration, Period = Timeout.InfiniteTimeSpan });
        }
        return new FaultOutcome(record.View(), 201);
    }

    public async Task<FaultOutcome> Repair(string faultId, DateTimeOffset? at = null)
    {
        if (!_faults.TryGetValue(faultId, out var record))
        {
            return new FaultOutcome(null, 404, "id", $"no fault '{faultId}'");
        }
        if (!record.Active)
        {
            return new FaultOutcome(record.View(), 409, "id", $"fault '{faultId}' was already repaired at {record.RepairedAt:O}");
        }
        if (record.Request.Source == "telemetry")
        {
            return new FaultOutcome(record.View(), 409, "id",
                $"fault '{faultId}' was raised by {record.Device}'s own telemetry; it clears when the device reports healthy");
        }
        var when = at ?? time.GetUtcNow();
        if (when < record.At)
        {
            when = record.At;
        }
        record.RepairedAt = when;
        await ApplyEffects(record, repair: true, when);
        await NotifySites(record, active: false);
        await _log.Append([Event(record, "fault-repaired", when, $"repaired: {record.Summary}")]);
        return new FaultOutcome(record.View(), 200);
    }

    public ValueTask<IReadOnlyList<FaultView>> List(bool? active, string? site, string? kind) =>
        ValueTask.FromResult<IReadOnlyList<FaultView>>(_order
            .Where(f => (active is null || f.Active == active) && (site is null || f.Site == site) && (kind is null || f.Request.Kind == kind))
            .Select(f => f.View())
            .ToList());

    public ValueTask<FaultView?> Get(string faultId) => ValueTask.FromResult(_faults.GetValueOrDefault(faultId)?.View());

    public ValueTask<int> ActiveCount() => ValueTask.FromResult(_order.Count(f => f.Active));

    public async Task RecordFromTelemetry(DeviceChanged change)
    {
        if (change.FaultId is not null)
        {
            return; // an injected fault's own effect, already recorded
        }
        if (_byDevice.TryGetValue(change.DeviceId, out var open))
        {
            if (change.Health == DeviceHealth.Healthy)
            {
                _byDevice.Remove(change.DeviceId);
                open.RepairedAt = change.EventTime < open.At ? open.At : change.EventTime;
                await NotifySites(open, active: false);
                await _log.Append([Event(open, "fault-cleared", open.RepairedAt.Value, $"{change.DeviceId} healthy again")]);
            }
            else
            {
                open.Summary = $"{change.DeviceId} {change.Health.Name()}: {change.Reason}";
            }
            return;
        }
        if (change.Health == DeviceHealth.Healthy)
        {
            return;
        }
        var kind = FaultRecord.TelemetryKind(change.Kind, change.Health, change.Reason);
        var request = new InjectFault(kind, change.DeviceId, Source: "telemetry");
        var site = change.Kind == DeviceKind.Dci ? "dci" : change.Site;
        var record = new FaultRecord(NextId(), request, site, $"{change.DeviceId} {change.Health.Name()}: {change.Reason}", change.EventTime)
        {
            Device = change.DeviceId,
        };
        Add(record);
        _byDevice[change.DeviceId] = record;
        await NotifySites(record, active: true);
        await _log.Append([Event(record, "fault-detected", change.EventTime, record.Summary)]);
    }

    private async Task AutoRepair(string faultId, DateTimeOffset at)
    {
        if (_faults.TryGetValue(faultId, out var record) && record.Active)
        {
            await Repair(faultId, at);
        }
    }

    private string NextId() => "f-" + (++_next).ToString("D6", CultureInfo.InvariantCulture);

    private void Add(FaultRecord record)
    {
        _faults[record.Id] = record;
        _order.Add(record);
    }

    private async Task ApplyEffects(FaultRecord record, bool repair, DateTimeOffset at)
    {
        var effects = record.Effects;
        var bulk = effects.Count > BulkThreshold;
        var changes = new List<DeviceChanged>(bulk ? effects.Count : 0);
        foreach (var chunk in effects.Chunk(ApplyChunk))
        {
            var calls = chunk.Select(e =>
            {
                var grain = GrainFactory.Get(e.Kind, e.DeviceId);
                // DCI links always publish: their coordinator is the factory, not the bulk receiver
                var quiet = bulk && e.Kind != DeviceKind.Dci;
                return repair
                    ? grain.ClearFault(record.Id, at, quiet).AsTask()
                    : grain.ApplyFault(new FaultEffect(record.Id, record.Request.Kind, e.Health, e.Reason, at, e.State, quiet, e.Metrics)).AsTask();
            });
            foreach (var change in await Task.WhenAll(calls))
            {
                if (bulk && change is not null && change.Kind != DeviceKind.Dci)
                {
                    changes.Add(change);
                }
            }
        }
        foreach (var site in changes.GroupBy(c => c.Site))
        {
            await GrainFactory.GetGrain<ISiteCoordinatorGrain>(site.Key).ApplyBulk([.. site]);
        }
    }

    private async Task NotifySites(FaultRecord record, bool active)
    {
        if (topology.SiteNames.Contains(record.Site))
        {
            await GrainFactory.GetGrain<ISiteCoordinatorGrain>(record.Site).FaultActivity(record.Id, active);
        }
    }

    private static TwinEvent Event(FaultRecord record, string kind, DateTimeOffset at, string summary) => new()
    {
        Id = $"{record.Id}:{kind}",
        Time = at,
        Kind = kind,
        Site = record.Site,
        DeviceId = record.Device ?? (record.Effects.Count > 0 ? record.Effects[0].DeviceId : record.Request.Target),
        DeviceKind = record.Effects.Count > 0 ? record.Effects[0].Kind : null,
        Health = kind is "fault-repaired" or "fault-cleared" ? null : record.Effects.Count > 0 ? record.Effects[0].Health : null,
        FaultId = record.Id,
        Summary = summary,
    };
}
