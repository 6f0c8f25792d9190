using System.Globalization;
using Microsoft.Extensions.Options;
using Twin.Contracts.Devices;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Sites;
using Twin.Model.Outcomes;
using Twin.Contracts.Streams;
using Twin.Grains.Persistence;
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
/// <para>
/// Durable (storage <see cref="TwinStorage.Name"/>): a fault is written before its effects are applied,
/// so its id is never handed out twice, and marked applied once the cascade and its history entry are
/// done. A new activation (after a silo died, or a cluster restart) finishes any fault left half-applied
/// and re-arms timed repairs; devices and coordinators that lost their memory ask
/// <see cref="IFaultLookupGrain"/> for the faults that touch them.
/// </para>
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class FaultRegistryGrain(
    FactoryTopology topology,
    FaultPlanner planner,
    IOptionsMonitor<HealthThresholds> thresholds,
    TimeProvider time,
    [PersistentState("faults", TwinStorage.Name)] IPersistentState<FaultRegistryState> stored) : Grain, IFaultRegistryGrain, IFaultLookupGrain
{
    /// <summary>
    /// Repaired faults kept in storage beside every active one; older ones live on in the event history only.
    /// The whole state is written on every change, so this bounds the cost of an inject or repair.
    /// </summary>
    public const int StoredRepaired = 100;

    public const int BulkThreshold = 64;
    private const int ApplyChunk = 2048;

    private readonly Dictionary<string, FaultRecord> _faults = new(StringComparer.Ordinal);
    private readonly List<FaultRecord> _order = [];
    // open telemetry-raised fault per device
    private readonly Dictionary<string, FaultRecord> _byDevice = new(StringComparer.Ordinal);
    // active injected faults whose cascade is complete, per device they touch: what a reactivated device asks for
    private readonly Dictionary<string, List<FaultRecord>> _applied = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    // faults by the Idempotency-Key of the request that injected them (as long as the fault is kept)
    private readonly Dictionary<string, FaultRecord> _byRequestKey = new(StringComparer.Ordinal);
    private long _next;
    private IEventLogGrain _log = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _log = GrainFactory.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        Restore(stored.State);
        if (stored.State.Faults.Any(f => f.RepairedAt is null))
        {
            // not from here: the devices it calls ask this grain back, which waits until activation ends
            this.RegisterGrainTimer(static (grain, _) => grain.Recover(), this,
                new GrainTimerCreationOptions { DueTime = TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan });
        }
        return Task.CompletedTask;
    }

    public ValueTask<FaultEffect[]> ActiveFor(string deviceId)
    {
        if (!_applied.TryGetValue(deviceId, out var records))
        {
            return ValueTask.FromResult<FaultEffect[]>([]);
        }
        var effects = new List<FaultEffect>(records.Count);
        foreach (var r in records)
        {
            foreach (var e in r.Effects)
            {
                if (e.DeviceId == deviceId)
                {
                    effects.Add(new FaultEffect(r.Id, r.Request.Kind, e.Health, e.Reason, r.At, e.State, Quiet: true, e.Metrics));
                }
            }
        }
        return ValueTask.FromResult(effects.ToArray());
    }

    public ValueTask<SiteFaults> ActiveInSite(string site)
    {
        var ids = _order.Where(f => f.Active && f.Site == site && !_pending.Contains(f.Id)).Select(f => f.Id).ToList();
        var devices = new Dictionary<string, FaultedDevice>(StringComparer.Ordinal);
        foreach (var r in _order)
        {
            if (!r.Active || _pending.Contains(r.Id))
            {
                continue;
            }
            foreach (var e in r.Effects)
            {
                if (e.Site == site && (!devices.TryGetValue(e.DeviceId, out var known) || e.Health > known.Health))
                {
                    devices[e.DeviceId] = new FaultedDevice(e.DeviceId, e.Kind, e.Health, e.Reason, r.Id, r.At);
                }
            }
        }
        return ValueTask.FromResult(new SiteFaults(ids, [.. devices.Values]));
    }

    public async Task<FaultOutcome> Inject(InjectFault request)
    {
        var requestKey = RequestKey.Current;
        if (requestKey is not null && _byRequestKey.TryGetValue(requestKey, out var injected))
        {
            return new FaultOutcome(injected.View(), null); // the same request again: its answer was lost, not its fault
        }
        var (plan, rejection) = planner.Plan(new FaultRequest(request.Kind, request.Target, request.Parameters, request.At, request.Duration), thresholds.CurrentValue);
        if (rejection is not null)
        {
            return new FaultOutcome(null, rejection.Reason, rejection.Field, rejection.Message);
        }
        var at = request.At ?? time.GetUtcNow();
        var record = new FaultRecord(NextId(), request, plan!.Site, plan.Summary, at) { Effects = plan.Effects, RequestKey = requestKey };
        Add(record);
        _pending.Add(record.Id);
        await Save(); // the id is taken and the fault known before any device sees it

        await Complete(record);
        if (request.Duration is { } duration)
        {
            // the fault lasts 'duration' of event time; live, that is the same span of wall time
            ArmRepair(record, duration);
        }
        return new FaultOutcome(record.View(), null);
    }

    public async Task<FaultOutcome> Repair(string faultId, DateTimeOffset? at = null)
    {
        if (!_faults.TryGetValue(faultId, out var record))
        {
            return new FaultOutcome(null, Refusal.NotFound, "id", $"no fault '{faultId}'");
        }
        if (!record.Active)
        {
            return new FaultOutcome(record.View(), Refusal.Conflict, "id", $"fault '{faultId}' was already repaired at {record.RepairedAt:O}");
        }
        if (record.Request.Source == "telemetry")
        {
            return new FaultOutcome(record.View(), Refusal.Conflict, "id",
                $"fault '{faultId}' was raised by {record.Device}'s own telemetry; it clears when the device reports healthy");
        }
        var when = at ?? time.GetUtcNow();
        if (when < record.At)
        {
            when = record.At;
        }
        record.RepairedAt = when;
        Unindex(record);
        await Save();
        await ApplyEffects(record, repair: true, when);
        await NotifySites(record, active: false);
        await _log.Append([Event(record, "fault-repaired", when, $"repaired: {record.Summary}")]);
        return new FaultOutcome(record.View(), null);
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
                await Save();
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
        await Save();
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

    /// <summary>Applies a saved fault's cascade, tells its site, writes its history entry, then marks it applied.</summary>
    private async Task Complete(FaultRecord record)
    {
        await ApplyEffects(record, repair: false, record.At);
        await NotifySites(record, active: true);
        await _log.Append([Event(record, "fault-injected", record.At, record.Summary)]);
        _pending.Remove(record.Id);
        Index(record);
        await Save();
    }

    /// <summary>
    /// After a new activation: finish faults a dead silo left half-applied (devices and history skip
    /// what they already hold), tell the sites which faults are active, re-arm timed repairs.
    /// </summary>
    private async Task Recover()
    {
        foreach (var record in _order.Where(f => f.Active).ToList())
        {
            if (_pending.Contains(record.Id))
            {
                await Complete(record);
            }
            else
            {
                await NotifySites(record, active: true);
            }
            if (record.Request.Duration is { } duration && record.Request.Source != "telemetry")
            {
                var left = record.At + duration - time.GetUtcNow();
                ArmRepair(record, left > TimeSpan.Zero ? left : TimeSpan.Zero);
            }
        }
    }

    private void ArmRepair(FaultRecord record, TimeSpan dueIn) =>
        this.RegisterGrainTimer(static (state, _) => state.Grain.AutoRepair(state.Id, state.At),
            (Grain: this, record.Id, At: record.At + record.Request.Duration!.Value),
            new GrainTimerCreationOptions { DueTime = dueIn, Period = Timeout.InfiniteTimeSpan });

    private void Restore(FaultRegistryState state)
    {
        _next = state.Next;
        foreach (var f in state.Faults)
        {
            IReadOnlyList<DeviceEffect> effects = [];
            if (f.Device is null)
            {
                // the cascade is a pure function of the request and the topology: derive it again
                var (plan, _) = planner.Plan(new FaultRequest(f.Request.Kind, f.Request.Target, f.Request.Parameters, f.Request.At, f.Request.Duration), thresholds.CurrentValue);
                effects = plan?.Effects ?? [];
            }
            var record = new FaultRecord(f.Id, f.Request, f.Site, f.Summary, f.At) { Effects = effects, Device = f.Device, RepairedAt = f.RepairedAt, RequestKey = f.RequestKey };
            Add(record);
            if (!record.Active)
            {
                continue;
            }
            if (f.Device is not null)
            {
                _byDevice[f.Device] = record;
            }
            else if (f.Applied)
            {
                Index(record);
            }
            else
            {
                _pending.Add(f.Id);
            }
        }
    }

    private Task Save()
    {
        var repairedKept = 0;
        var kept = new List<StoredFault>(_order.Count);
        for (var i = _order.Count - 1; i >= 0; i--)
        {
            var f = _order[i];
            if (!f.Active && ++repairedKept > StoredRepaired)
            {
                continue;
            }
            kept.Add(new StoredFault(f.Id, f.Request, f.Site, f.Summary, f.At, f.RepairedAt, f.Device, Applied: !_pending.Contains(f.Id), f.RequestKey));
        }
        kept.Reverse();
        stored.State.Next = _next;
        stored.State.Faults = kept;
        return stored.WriteStateAsync();
    }

    private void Index(FaultRecord record)
    {
        foreach (var e in record.Effects)
        {
            if (!_applied.TryGetValue(e.DeviceId, out var list))
            {
                _applied[e.DeviceId] = list = new List<FaultRecord>(1);
            }
            if (!list.Contains(record))
            {
                list.Add(record);
            }
        }
    }

    private void Unindex(FaultRecord record)
    {
        foreach (var e in record.Effects)
        {
            if (_applied.TryGetValue(e.DeviceId, out var list) && list.Remove(record) && list.Count == 0)
            {
                _applied.Remove(e.DeviceId);
            }
        }
    }

    private string NextId() => "f-" + (++_next).ToString("D6", CultureInfo.InvariantCulture);

    private void Add(FaultRecord record)
    {
        _faults[record.Id] = record;
        _order.Add(record);
        if (record.RequestKey is not null)
        {
            _byRequestKey[record.RequestKey] = record;
        }
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
