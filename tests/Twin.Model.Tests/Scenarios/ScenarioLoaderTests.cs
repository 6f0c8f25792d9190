using Twin.Model.Devices;
using Twin.Model.Reliability;
using Twin.Model.Scenarios;

namespace Twin.Model.Tests.Scenarios;

public sealed class ScenarioLoaderTests
{
    private const string Header = """
        name: t
        topology: demo
        duration: 6h
        seed: 1
        workloads:
          - name: train
            gpus: 256
            sites: [east]
            tp: 8
            checkpoint: { interval: 30m, sizeGB: 1000 }

        """;

    public static TheoryData<string> ShippedScenarios() =>
        new(Directory.GetFiles(ScenarioFiles.FaultsFolder, "*.yaml").Select(Path.GetFileName).Order().Select(f => f!));

    [Theory]
    [MemberData(nameof(ShippedScenarios))]
    public void ShippedScenario_Loads(string file)
    {
        var spec = ScenarioLoader.LoadFile(Path.Combine(ScenarioFiles.FaultsFolder, file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), spec.Name);
        Assert.True(File.Exists(spec.TopologyPath));
        Assert.NotEmpty(spec.Expectations);
    }

    [Fact]
    public void FullScenario_ParsesEveryField()
    {
        var spec = ScenarioFiles.Parse(Header + """
            start: 2026-03-01T06:00:00Z
            faults:
              - name: spine
                at: 45m
                kind: switch-down
                selector: { site: east, kind: switch, tier: spine }
                pick: 2
                repairAfter: 2h
              - at: 1h
                kind: gpu-xid
                target: east/gpu/h0001-0
                parameters: { xid: 79 }
                duration: 30m
              - at: 2h
                kind: job-crash
                target: train
            failures:
              - job: train
                profile: llama3
                causes:
                  network-switch-cable: switch-down
            repair:
              gpu-xid: { exponential: 6h }
              default: 90m
            expectations:
              - job.goodput >= 0.9
              - recovery.p95 <= 15m
            """);
        Assert.Equal(TimeSpan.FromHours(6), spec.Duration);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 6, 0, 0, TimeSpan.Zero), spec.Start);
        var job = Assert.Single(spec.Workloads).Job;
        Assert.Equal((256, 8, 1, 32), (job.Gpus, job.Tp, job.Pp, job.Dp));
        Assert.Equal(TimeSpan.FromMinutes(30), job.CheckpointInterval);

        Assert.Equal(3, spec.Faults.Count);
        Assert.Equal(new TargetSelector(DeviceKind.Switch, "east", "spine", null, null), spec.Faults[0].Selector);
        Assert.Equal((PickMode.Count, 2), (spec.Faults[0].Pick, spec.Faults[0].PickCount));
        Assert.Equal(TimeSpan.FromMinutes(30), spec.Faults[1].RepairAfter);
        Assert.Equal("79", spec.Faults[1].Parameters["xid"]);

        var process = Assert.Single(spec.Failures);
        // The profile's rate: 419 interruptions / (16,384 GPUs × 54 d × 24 h).
        Assert.Equal(419.0 / (16_384 * 54 * 24), process.RatePerGpuHour, 15);
        Assert.Equal(1.0, process.Causes.Sum(c => c.Weight), 12);
        var faultyGpu = process.Causes.Single(c => c.Cause == "faulty-gpu");
        Assert.Equal(148.0 / 419, faultyGpu.Weight, 12);
        Assert.Equal("gpu-xid", faultyGpu.Kind);
        Assert.Equal("switch-down", process.Causes.Single(c => c.Cause == "network-switch-cable").Kind);
        Assert.Equal("job-crash", process.Causes.Single(c => c.Cause == "software-bug").Kind);

        Assert.Equal(new RepairTime(TimeSpan.FromHours(6), true), spec.Repair.For("gpu-xid"));
        Assert.Equal(new RepairTime(TimeSpan.FromMinutes(90), false), spec.Repair.For("dpu-failure"));
    }

    [Fact]
    public void PerCauseRates_SumToTheProcessRate_AndSetTheWeights()
    {
        var spec = ScenarioFiles.Parse(Header + """
            failures:
              - site: east
                causes:
                  gpu: { kind: gpu-xid, ratePerGpuHour: 3e-5 }
                  cable: { kind: link-down, ratePerGpuHour: 1e-5 }
            """);
        var p = Assert.Single(spec.Failures);
        Assert.Equal(4e-5, p.RatePerGpuHour, 15);
        Assert.Equal(0.75, p.Causes[0].Weight, 12);
        Assert.Equal("79", p.Causes[0].Parameters["xid"]);
    }

    [Fact]
    public void ASecuritySection_IsRead_AndItsBadFieldsNamed()
    {
        var spec = ScenarioFiles.Parse(Header + """
            security:
              tenants: { acme: [east/host/h0010] }
              policies:
                - dpu: east/dpu/h0010
                  rules: [{ action: deny, destination: 10.2.0.0/16, ports: 22 }]
                  exfiltrationGB: 50
              flows:
                - { at: 5m, source: east/host/h0010, destination: internet, port: 443, bytes: 1e9, count: 3, every: 10s }
            """);
        var policy = Assert.Single(spec.Security.Policies);
        Assert.Equal("east/dpu/h0010", policy.Dpu);
        Assert.Equal(50e9, policy.Policy.ExfiltrationBytes);
        Assert.Equal("10.2.0.0/16", policy.Policy.Firewall.Rules[0].Destination.ToString());
        var flow = Assert.Single(spec.Security.Flows);
        Assert.Equal((TimeSpan.FromMinutes(5), 3, TimeSpan.FromSeconds(10)), (flow.At, flow.Count, flow.Every));
        Assert.Equal("acme", spec.Security.TenantOfMember()["east/host/h0010"]);

        var e = ScenarioFiles.Errors(Header + """
            security:
              policies:
                - dpu: east/dpu/h0010
                  rules: [{ action: maybe, source: 10.1.0.0/40 }]
            """);
        Assert.Contains(e.Errors, x => x.Field == "security.policies[0].rules[0].action");
        Assert.Contains(e.Errors, x => x.Field == "security.policies[0].rules[0].source" && x.Message.Contains("10.1.0.0/40", StringComparison.Ordinal));
    }

    [Fact]
    public void BadFaultKind_IsReportedWithItsLineAndField()
    {
        var e = ScenarioFiles.Errors(Header + """
            faults:
              - at: 1h
                kind: gpu-explodes
                target: east/gpu/h0001-0
            """);
        var error = Assert.Single(e.Errors);
        Assert.Equal("faults[0].kind", error.Field);
        Assert.Equal(13, error.Line);
        Assert.Contains("gpu-explodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadDuration_IsReportedWithItsLineAndField()
    {
        var e = ScenarioFiles.Errors("""
            name: t
            topology: demo
            duration: fifty days
            """);
        var error = Assert.Single(e.Errors);
        Assert.Equal(("duration", 3), (error.Field, error.Line));
    }

    [Fact]
    public void UnknownExpectationMetric_IsALoadError()
    {
        var e = ScenarioFiles.Errors(Header + """
            expectations:
              - job.goodput >= 0.9
              - job.happiness >= 0.9
              - job.nosuchjob.goodput >= 0.9
            """);
        Assert.Equal(2, e.Errors.Count);
        Assert.Equal(("expectations[1]", 13), (e.Errors[0].Field, e.Errors[0].Line));
        Assert.Equal(("expectations[2]", 14), (e.Errors[1].Field, e.Errors[1].Line));
        Assert.Contains("nosuchjob", e.Errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFields_AreRejected_AtEveryLevel()
    {
        var e = ScenarioFiles.Errors("""
            name: t
            topology: demo
            duration: 1h
            colour: blue
            workloads:
              - name: train
                gpus: 64
                checkpoint: { interval: 30m, sizeGb: 1000 }
            """);
        Assert.Equal(["colour", "workloads[0].checkpoint.sizeGb"], e.Errors.Select(x => x.Field).Order(StringComparer.Ordinal));
        Assert.Contains(e.Errors, x => x.Field == "colour" && x.Line == 4);
    }

    [Fact]
    public void EveryProblem_IsListedAtOnce()
    {
        var e = ScenarioFiles.Errors("""
            name: t
            topology: demo
            duration: 2h
            workloads:
              - name: train
                gpus: 100
                tp: 8
                sites: [south]
            faults:
              - at: 3h
                kind: gpu-xid
                target: east/gpu/h0000-0
            expectations:
              - recovery.p95 <= 15
            """);
        var fields = e.Errors.Select(x => x.Field).ToList();
        Assert.Contains("workloads[0].sites", fields);       // no site south
        Assert.Contains("workloads[0].gpus", fields);        // 100 is not 8 × pp × dp
        Assert.Contains("faults[0].at", fields);             // after the end
        Assert.Contains("faults[0].parameters.xid", fields); // gpu-xid needs an XID
        Assert.Contains("expectations[0]", fields);          // a duration compared with a bare number
    }

    [Fact]
    public void Expectation_ParsesIntoMetricOperatorAndProduct()
    {
        var e = ExpectationParser.Parse("site.east.usableGpus >= 0.95 * total", [], ["east"], out var error);
        Assert.Null(error);
        Assert.NotNull(e);
        Assert.Equal(["site", "east", "usableGpus"], e.Metric.Parts);
        Assert.Equal(CompareOp.GreaterOrEqual, e.Op);
        var product = Assert.IsType<ProductValue>(e.Right);
        Assert.Equal(0.95, Assert.IsType<LiteralValue>(product.Left).Value);
        Assert.IsType<TotalValue>(product.Right);
        Assert.True(e.Holds(490, 512));   // 0.95 × 512 = 486.4
        Assert.False(e.Holds(480, 512));
    }

    [Fact]
    public void DurationsAndRanges_Parse()
    {
        var p95 = ExpectationParser.Parse("recovery.p95 <= 15m", [], null, out _)!;
        Assert.Equal(ValueUnit.Duration, p95.Metric.Unit);
        Assert.Equal(900, p95.Right.Evaluate(double.NaN));
        var range = ExpectationParser.Parse("interruptions in 360..480", [], null, out _)!;
        Assert.Equal(CompareOp.Between, range.Op);
        Assert.True(range.Holds(419, double.NaN));
        Assert.False(range.Holds(481, double.NaN));
        Assert.Null(ExpectationParser.Parse("goodput >= total", [], null, out var error));
        Assert.Contains("total", error, StringComparison.Ordinal);
    }
}
