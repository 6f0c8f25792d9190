using System.CommandLine;
using Twin.Model.Devices;
using Twin.Model.Topology;

namespace Twin.Silo.Cli;

/// <summary><c>twin topology validate|generate FILE</c>: check a topology file or list what it expands to.</summary>
public static class TopologyCommands
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "topology YAML file" };
        var validate = new Command("validate", "Check a topology file; prints each error with its line and field.") { file };
        validate.SetAction(result => Run(result.GetValue(file)!, list: false));

        var file2 = new Argument<FileInfo>("file") { Description = "topology YAML file" };
        var generate = new Command("generate", "Expand a topology file and print device counts per site and kind (and every id with --list).") { file2 };
        var list = new Option<bool>("--list") { Description = "print every device id" };
        generate.Options.Add(list);
        generate.SetAction(result => Run(result.GetValue(file2)!, result.GetValue(list), counts: true));

        return new Command("topology", "Validate or expand topology files.") { validate, generate };
    }

    private static int Run(FileInfo file, bool list, bool counts = false)
    {
        FactoryTopology topology;
        try
        {
            topology = TopologyGenerator.Load(file.FullName);
        }
        catch (TopologyException e)
        {
            foreach (var error in e.Errors)
            {
                Console.Error.WriteLine($"{file.Name}:{error.Line}:{error.Column}: {error.Field}: {error.Message}");
            }
            return 1;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        Console.WriteLine($"{file.Name}: ok, {topology.Devices.Count:N0} devices");
        if (counts)
        {
            var kinds = Enum.GetValues<DeviceKind>();
            Console.WriteLine($"{"site",-8}" + string.Concat(kinds.Select(k => $"{k.Name(),10}")));
            foreach (var site in topology.SiteNames.Append("dci"))
            {
                Console.WriteLine($"{site,-8}" + string.Concat(kinds.Select(k => $"{topology.Count(site, k),10:N0}")));
            }
        }
        if (list)
        {
            foreach (var d in topology.Devices)
            {
                Console.WriteLine(d.Id);
            }
        }
        return 0;
    }
}
