using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Twin.Model.Fabric;
using Twin.Model.Planning;

namespace Twin.Silo.Cli;

/// <summary><c>twin plan --gpus N ...</c>: the fabric planner from the command line, one plan or DSP/LPO/CPO side by side.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var gpus = new Option<int>("--gpus") { Description = "GPUs to connect", Required = true };
        var nic = new Option<double>("--nic-gbps") { Description = "NIC speed per GPU", DefaultValueFactory = _ => 800 };
        var radix = new Option<int?>("--radix") { Description = "switch radix (or give --silicon-tbps and --port-gbps)" };
        var silicon = new Option<double?>("--silicon-tbps") { Description = "switch silicon, e.g. 51.2 or 102.4" };
        var port = new Option<double?>("--port-gbps") { Description = "switch port speed, e.g. 800" };
        var optics = new Option<string>("--optics") { Description = "dsp|lpo|cpo|aec|dac, or one per tier: dac,lpo,dsp", DefaultValueFactory = _ => "dsp" };
        var oversubscription = new Option<double>("--oversubscription") { Description = "leaf down:up ratio (1 = non-blocking)", DefaultValueFactory = _ => 1 };
        var tiers = new Option<int?>("--tiers") { Description = "force a tier count (default: fewest that fit)" };
        var price = new Option<double>("--price-kwh") { Description = "electricity price per kWh", DefaultValueFactory = _ => 0.10 };
        var compare = new Option<bool>("--compare") { Description = "plan DSP, LPO and CPO side by side" };
        var json = new Option<bool>("--json") { Description = "print JSON instead of a table" };
        var command = new Command("plan", "What-if fabric planning: tiers, switches, optics, power and latency.")
        {
            gpus, nic, radix, silicon, port, optics, oversubscription, tiers, price, compare, json,
        };
        command.SetAction(result =>
        {
            try
            {
                var request = new FabricPlanRequest
                {
                    Gpus = result.GetValue(gpus),
                    NicGbps = result.GetValue(nic),
                    SwitchRadix = result.GetValue(radix),
                    SiliconTbps = result.GetValue(silicon),
                    PortGbps = result.GetValue(port),
                    Optics = result.GetValue(optics)!.Split(',').Select((o, i) => OpticsTechnology.Parse(o, $"--optics[{i}]")).ToList(),
                    Oversubscription = result.GetValue(oversubscription),
                    Tiers = result.GetValue(tiers),
                    ElectricityPricePerKwh = result.GetValue(price),
                };
                if (request.SwitchRadix is null && request.SiliconTbps is null)
                {
                    request = request with { SiliconTbps = 102.4, PortGbps = request.PortGbps ?? 800 };
                }
                var plans = result.GetValue(compare)
                    ? Compare(request)
                    : [("plan", FabricPlanner.Plan(request), (double?)null)];
                if (result.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(plans.ToDictionary(p => p.Name, p => p.Plan), JsonOptions));
                }
                else
                {
                    Render(plans);
                }
                return 0;
            }
            catch (FabricPlanException e)
            {
                Console.Error.WriteLine($"{e.Field}: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private static List<(string Name, FabricPlan Plan, double? Saving)> Compare(FabricPlanRequest request)
    {
        var c = FabricPlanner.Compare(request);
        return [("dsp", c.Dsp.Plan, null), ("lpo", c.Lpo.Plan, c.Lpo.FabricPowerSavingPct), ("cpo", c.Cpo.Plan, c.Cpo.FabricPowerSavingPct)];
    }

    private static void Render(List<(string Name, FabricPlan Plan, double? Saving)> plans)
    {
        static string N(double v, string format = "N0") => v.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var p in plans)
        {
            table.AddColumn(new TableColumn(p.Name).RightAligned());
        }
        void Row(string label, Func<FabricPlan, string> value) => table.AddRow([label, .. plans.Select(p => value(p.Plan))]);
        Row("tiers", p => N(p.Tiers));
        Row("radix × planes", p => $"{p.Radix} × {p.Planes}");
        Row("switches per tier", p => string.Join(" / ", p.SwitchesPerTier.Select(s => N(s))));
        Row("links", p => N(p.Links));
        Row("transceivers", p => N(p.Transceivers));
        Row("fabric power kW", p => N(p.FabricPowerKw, "N1"));
        Row("power per GPU W", p => N(p.PowerPerGpuW, "N1"));
        Row("latency ns", p => N(p.LatencyNs));
        Row("energy cost / year", p => N(p.AnnualEnergyCost));
        Row("bisection Tbps", p => N(p.BisectionTbps, "N1"));
        if (plans.Any(p => p.Saving is not null))
        {
            table.AddRow(["fabric power saved vs DSP", .. plans.Select(p => p.Saving is { } s ? $"{N(s, "N1")} %" : "")]);
        }
        AnsiConsole.Write(table);
    }
}
