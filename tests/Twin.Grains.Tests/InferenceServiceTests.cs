using Twin.Model.Outcomes;
using Twin.Contracts.Events;
using Twin.Contracts.Faults;
using Twin.Contracts.Inference;
using Twin.Contracts.Jobs;
using Twin.Contracts.Streams;
using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Grains.Tests;

[Collection(JobCollection.Name)]
public sealed class InferenceServiceTests(JobClusterFixture fixture)
{
    private IJobRegistryGrain Registry => fixture.Grains.GetGrain<IJobRegistryGrain>(TwinStreams.FactoryKey);

    private IFaultRegistryGrain Faults => fixture.Grains.GetGrain<IFaultRegistryGrain>(TwinStreams.FactoryKey);

    // 70B BF16 on 8 × H100 per replica, no prefix cache: ~8.2 req/s each (InferenceModelTests works it out); with a
    // prefix cache that holds 95 % of prompts (half in HBM, a quarter in DRAM, a fifth on NVMe) about three times that
    private static InferenceServiceDefinition Chat(string name, int replicas, double rps, bool prefixCache = false) =>
        InferenceServiceDefinition.From(new InferenceServiceSpec { Name = name, Site = "west", Replicas = replicas, RequestsPerSecond = rps }
            with { HbmHitRatio = prefixCache ? 0.5 : 0, DramHitRatio = prefixCache ? 0.5 : 0, NvmeHitRatio = prefixCache ? 0.8 : 0 });

    [Fact]
    public async Task ALostReplica_BreachesTheSla_UntilItsSpareHasLoadedTheWeights()
    {
        var t0 = fixture.NextEpoch();
        var deployed = await Registry.Deploy(Chat("chat", 2, 15), t0);
        Assert.True(deployed.Succeeded, $"{deployed.Refused} {deployed.Field}: {deployed.Error}");
        var service = deployed.Service!;
        Assert.True(service.SlaMet, service.Breach);
        Assert.Equal(2, service.HealthyReplicas);
        Assert.All(service.Placement, r => Assert.Single(r.Select(g => g[..g.LastIndexOf('-')]).Distinct())); // one host each
        Assert.Equal(InferenceModel.Estimate(Chat("chat", 2, 15).ToSpec(), 2, GpuSpecs.For("H100")).CapacityRequestsPerSecond,
            service.CapacityRequestsPerSecond, 9);

        // replica 0 loses a GPU at 10:00; it moves to a spare host and serves again after 1 min restart plus
        // 17.5 GB of weights per GPU over a 400G NIC (0.35 s). Meanwhile 15 req/s on one replica: overloaded
        var victim = service.Placement[0][3];
        var fault = await Faults.Inject(new InjectFault("gpu-xid", victim, new Dictionary<string, string> { ["xid"] = "79" }, At: t0.AddMinutes(10)));
        var grain = fixture.Grains.GetGrain<IInferenceServiceGrain>(service.Id);
        var down = await Eventually.Until(() => grain.GetView(t0.AddMinutes(10).AddSeconds(30)), v => v.HealthyReplicas == 1);
        Assert.Equal("breached", down.State);
        Assert.Null(down.TtftMs);
        Assert.StartsWith("overloaded", down.Breach);
        Assert.DoesNotContain(victim, down.Placement.SelectMany(r => r));

        var back = await grain.GetView(t0.AddMinutes(15));
        Assert.Equal(("serving", 2), (back.State, back.HealthyReplicas));
        var breached = back.Timeline.Single(e => e.Kind == "inference-sla-breached");
        var restored = back.Timeline.Single(e => e.Kind == "inference-sla-restored");
        Assert.Equal(t0.AddMinutes(10), breached.Time);
        Assert.Equal(t0.AddMinutes(10) + TimeSpan.FromSeconds(60 + 140e9 / 8 / 50e9), restored.Time);

        var log = fixture.Grains.GetGrain<IEventLogGrain>(TwinStreams.FactoryKey);
        var events = await log.Read(0, 10_000, new EventFilter(Kind: "inference-sla-breached"));
        Assert.Contains(events.Items, e => e.Summary.StartsWith("chat: overloaded", StringComparison.Ordinal) && e.Time == t0.AddMinutes(10));

        await Faults.Repair(fault.Fault!.Id, t0.AddMinutes(20));
        var stopped = await grain.Stop(t0.AddMinutes(30));
        Assert.Equal("stopped", stopped.State);
        Assert.DoesNotContain(service.Id, await Registry.ServiceIds());
    }

    [Fact]
    public async Task ALateFailureNotice_ForAGpuAlreadyReportedRestored_IsIgnored()
    {
        // one-way notices can arrive out of order: the repair at 20:00 lands before the failure at 10:00
        var t0 = fixture.NextEpoch();
        var service = (await Registry.Deploy(Chat("late", 1, 5), t0)).Service!;
        var grain = fixture.Grains.GetGrain<IInferenceServiceGrain>(service.Id);
        var gpu = service.Placement[0][1];
        await grain.DevicesRestored([gpu], t0.AddMinutes(20));
        await grain.DevicesLost([gpu], "late notice", t0.AddMinutes(10));
        await grain.DevicesLost([gpu], "fails again", t0.AddMinutes(40));

        var view = await Eventually.Until(() => grain.GetView(t0.AddMinutes(40)), v => v.Timeline.Any(e => e.Kind == "inference-replica-lost"));
        var lost = Assert.Single(view.Timeline, e => e.Kind == "inference-replica-lost");
        Assert.Equal(t0.AddMinutes(40), lost.Time); // not 10:00: the late notice changed nothing
        Assert.Contains("fails again", lost.Detail);
        await grain.Stop(t0.AddHours(1));
    }

    [Fact]
    public async Task SlowStorage_RaisesTtftPastTheSla_AndItHoldsAgainOnRepair()
    {
        var t0 = fixture.NextEpoch();
        var service = (await Registry.Deploy(Chat("rag", 1, 10, prefixCache: true), t0)).Service!;
        Assert.True(service.SlaMet, service.Breach);
        var grain = fixture.Grains.GetGrain<IInferenceServiceGrain>(service.Id);

        // both of west's storage nodes down: the NVMe KV tier serves a trickle, and a fifth of prompt lookups wait on it
        var faults = new List<string>();
        foreach (var node in new[] { "west/storage/s00", "west/storage/s01" })
        {
            var f = await Faults.Inject(new InjectFault("storage-down", node, At: t0.AddMinutes(5)));
            Assert.True(f.Succeeded, $"{f.Refused} {f.Field} {f.Error}");
            faults.Add(f.Fault!.Id);
        }
        var slow = await Eventually.Until(() => grain.GetView(t0.AddMinutes(6)), v => !v.SlaMet);
        Assert.StartsWith("TTFT", slow.Breach);
        Assert.Equal(0, slow.StorageShare);

        foreach (var id in faults)
        {
            await Faults.Repair(id, t0.AddMinutes(10));
        }
        // the two repairs reach the service one by one (half the storage is back in between): wait for both
        var healed = await Eventually.Until(() => grain.GetView(t0.AddMinutes(11)), v => v.StorageShare == 1);
        Assert.True(healed.SlaMet, healed.Breach);
        Assert.Contains(healed.Timeline, e => e.Kind == "inference-sla-restored");
        await grain.Stop(t0.AddMinutes(20));
    }

    [Fact]
    public async Task MoreReplicasThanFreeGpus_Is409_AndAModelThatCannotFit_Is400()
    {
        var tooMany = await Registry.Deploy(Chat("huge", 64, 10), null);
        Assert.Equal(((Refusal?)Refusal.NoCapacity, "gpus"), (tooMany.Refused, tooMany.Field));

        var tooBig = await Registry.Deploy(InferenceServiceDefinition.From(new InferenceServiceSpec { Name = "405b", Site = "west", ModelParams = 405e9, GpusPerReplica = 4 }), null);
        Assert.Equal(((Refusal?)Refusal.Invalid, "gpusPerReplica"), (tooBig.Refused, tooBig.Field));
    }
}
