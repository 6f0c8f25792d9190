using System.Text.Json;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Reads NetBox: REST API responses (<c>/api/dcim/devices/</c>, <c>interfaces/</c>, <c>cables/</c>,
/// <c>interface-connections/</c>; paginated <c>{"count","next","results"}</c> pages or plain lists, pre-2.10
/// <c>termination_a</c> and 3.x+ <c>a_terminations</c> cables) and bulk-import CSV (devices with <c>role</c> or the older
/// <c>device_role</c>; cables with <c>side_a_device</c>… or <c>termination_a_…</c>). Files may come in any order and
/// mixed. A device's role (else its name) says what it is: spine/leaf/core switches, servers/GPU nodes as hosts; PDUs,
/// console servers, routers and out-of-band gear are not fabric and are skipped with a warning, as are console and
/// power cables.
/// </summary>
public static class NetboxParser
{
    public static ImportResult Parse(IReadOnlyList<ImportFile> files, string site)
    {
        var warnings = new List<InventoryIssue>();
        var devices = new Dictionary<string, (string Role, string? Type, string At)>(StringComparer.OrdinalIgnoreCase);
        var cables = new List<(string A, string APort, string B, string BPort, string At)>();
        var macs = new List<(string Device, string Port, string Mac)>();
        var parsed = new Dictionary<string, int> { ["devices"] = 0, ["interfaces"] = 0, ["cables"] = 0 };
        foreach (var file in files)
        {
            var trimmed = file.Text.TrimStart();
            if (trimmed.StartsWith('{') || trimmed.StartsWith('['))
            {
                foreach (var value in JsonInput.ReadAll(file))
                {
                    ReadJson(file.Name, value, devices, cables, macs, parsed, warnings);
                }
            }
            else
            {
                ReadCsv(file, devices, cables, parsed, warnings);
            }
        }
        if (devices.Count == 0 && cables.Count == 0)
        {
            throw new InventoryException(files.Count > 0 ? files[0].Name : "netbox", [new InventoryIssue("$", null, "no NetBox devices or cables found (expected API JSON or bulk-import CSV)")]);
        }

        var assembler = new SiteAssembler(site) { Network = "ethernet" };
        var kinds = new Dictionary<string, Kind>(StringComparer.OrdinalIgnoreCase);
        Kind KindOf(string device) => kinds.TryGetValue(device, out var k) ? k
            : kinds[device] = Classify(devices.TryGetValue(device, out var d) ? d.Role : "", device);
        foreach (var (name, (role, type, at)) in devices)
        {
            var kind = KindOf(name);
            var slug = InventoryNames.Slug(name);
            if (slug is null || kind.Skip)
            {
                warnings.Add(new InventoryIssue(at, null, $"{name} (role '{role}') is not a fabric switch or a server; not imported"));
                continue;
            }
            if (kind.Host)
            {
                var host = assembler.Host(slug);
                host.GpuModel = GpuModel(type);
                if (!slug.Equals(name, StringComparison.Ordinal))
                {
                    host.Aliases.Add(name.Replace(' ', '_'));
                }
            }
            else
            {
                var sw = assembler.Switch(slug);
                sw.Tier = kind.Tier;
                sw.Model = type;
            }
        }
        foreach (var (a, ap, b, bp, at) in cables)
        {
            var ka = KindOf(a);
            var kb = KindOf(b);
            var sa = InventoryNames.Slug(a);
            var sb = InventoryNames.Slug(b);
            if (ka.Skip || kb.Skip || sa is null || sb is null)
            {
                warnings.Add(new InventoryIssue(at, null, $"cable {a}:{ap} — {b}:{bp} does not join fabric devices; skipped"));
                continue;
            }
            if (sa == sb)
            {
                warnings.Add(new InventoryIssue(at, null, $"loopback cable on {a} ({ap} ↔ {bp}); skipped"));
                continue;
            }
            foreach (var (dev, port, kind) in new[] { (sa, ap, ka), (sb, bp, kb) })
            {
                if (kind.Host)
                {
                    assembler.Host(dev).Nic(port);
                }
                else if (!assembler.IsSwitch(dev))
                {
                    assembler.Switch(dev).Tier = kind.Tier;
                }
            }
            assembler.Cable(sa, ap, sb, bp);
        }
        foreach (var (device, port, mac) in macs)
        {
            if (InventoryNames.Slug(device) is { } d && assembler.IsHost(d))
            {
                assembler.Host(d).Nic(port, mac: mac);
            }
        }
        parsed["switches"] = assembler.SwitchCount;
        parsed["hosts"] = assembler.HostCount;
        parsed["links"] = assembler.CableCount;
        return new ImportResult(new InventoryDocument { Name = site, Sites = [assembler.Build()] }, parsed, warnings);
    }

    private readonly record struct Kind(bool Host, bool Skip, string? Tier);

    private static Kind Classify(string role, string name)
    {
        var text = (role.Length > 0 ? role : name).ToLowerInvariant();
        bool Has(params string[] words) => words.Any(text.Contains);
        if (Has("oob", "pdu", "console", "power", "patch", "firewall", "router", "edge", "border", "mgmt", "management"))
        {
            return new Kind(false, true, null);
        }
        if (Has("spine"))
        {
            return new Kind(false, false, "spine");
        }
        if (Has("leaf", "tor", "access"))
        {
            return new Kind(false, false, "leaf");
        }
        if (Has("super", "core"))
        {
            return new Kind(false, false, "core");
        }
        if (Has("server", "host", "compute", "gpu", "dgx", "hgx", "node"))
        {
            return new Kind(true, false, null);
        }
        return Has("switch") ? new Kind(false, false, null) : new Kind(false, true, null);
    }

    private static string? GpuModel(string? type)
    {
        var t = (type ?? "").ToUpperInvariant();
        return t.Contains("GB200") ? "GB200"
            : t.Contains("B200") ? "B200"
            : t.Contains("H200") ? "H200-SXM5-141GB"
            : t.Contains("H100") ? "H100-SXM5-80GB"
            : t.Contains("A100") ? "A100-SXM4-80GB"
            : null;
    }

    private static void ReadJson(string file, JsonElement value, Dictionary<string, (string, string?, string)> devices,
        List<(string, string, string, string, string)> cables, List<(string, string, string)> macs, Dictionary<string, int> parsed, List<InventoryIssue> warnings)
    {
        IEnumerable<JsonElement> items;
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("results", out var results) && results.ValueKind == JsonValueKind.Array)
        {
            items = results.EnumerateArray();
            // a page that is not the whole list (next set, or count above what came) is said, not taken as everything
            var count = value.TryGetProperty("count", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : results.GetArrayLength();
            if (count > results.GetArrayLength() || (value.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.String))
            {
                warnings.Add(new InventoryIssue(file, null, $"one page of {results.GetArrayLength()} of {count} results; fetch every page (or ?limit=0) for the whole inventory"));
            }
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            items = value.EnumerateArray();
        }
        else if (value.ValueKind == JsonValueKind.Object && new[] { "devices", "interfaces", "cables" }.Any(k => value.TryGetProperty(k, out _)))
        {
            foreach (var part in value.EnumerateObject())
            {
                ReadJson($"{file}.{part.Name}", part.Value, devices, cables, macs, parsed, warnings);
            }
            return;
        }
        else
        {
            warnings.Add(new InventoryIssue(file, null, "not a NetBox list response; skipped"));
            return;
        }
        var index = -1;
        foreach (var item in items)
        {
            index++;
            var at = $"{file}[{index}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                warnings.Add(new InventoryIssue(at, null, "not a NetBox object (a trace hop list?); skipped"));
                continue;
            }
            if (item.TryGetProperty("termination_a", out _) || item.TryGetProperty("a_terminations", out _))
            {
                parsed["cables"]++;
                var a = Termination(item, "a");
                var b = Termination(item, "b");
                if (a is null || b is null)
                {
                    var type = item.Get("termination_a_type")?.GetString() ?? item.Get("a_terminations").Items().FirstOrDefault().Get("object_type")?.GetString();
                    warnings.Add(new InventoryIssue(at, null, $"{type ?? "unknown"} cable is not between two interfaces; skipped"));
                    continue;
                }
                cables.Add((a.Value.Device, a.Value.Port, b.Value.Device, b.Value.Port, at));
            }
            else if (item.TryGetProperty("interface_a", out var ia) && item.TryGetProperty("interface_b", out var ib))
            {
                parsed["cables"]++;
                if (Interface(ia) is { } a && Interface(ib) is { } b)
                {
                    cables.Add((a.Device, a.Port, b.Device, b.Port, at));
                }
            }
            else if (item.TryGetProperty("device", out var dev) && item.TryGetProperty("name", out var ifName))
            {
                parsed["interfaces"]++;
                var device = dev.Get("name")?.GetString();
                var port = ifName.GetString();
                if (device is null || port is null || item.Get("mgmt_only")?.ValueKind == JsonValueKind.True)
                {
                    continue;
                }
                if (item.Get("mac_address")?.GetString() is { Length: > 0 } mac)
                {
                    macs.Add((device, port, mac));
                }
                if (item.Get("connected_interface") is { ValueKind: JsonValueKind.Object } peer && Interface(peer) is { } p)
                {
                    cables.Add((device, port, p.Device, p.Port, at));
                }
                foreach (var lp in item.Get("link_peers").Items())
                {
                    if (Interface(lp) is { } q)
                    {
                        cables.Add((device, port, q.Device, q.Port, at));
                    }
                }
            }
            else if (item.TryGetProperty("device_type", out var dt) && item.Get("name")?.GetString() is { } name)
            {
                parsed["devices"]++;
                var role = item.Get("role") ?? item.Get("device_role");
                devices[name] = (role?.Get("name")?.GetString() ?? role?.Get("slug")?.GetString() ?? "", dt.Get("model")?.GetString(), at);
            }
            else if (item.TryGetProperty("manufacturer", out _) && item.TryGetProperty("model", out _))
            {
                parsed["deviceTypes"] = parsed.GetValueOrDefault("deviceTypes") + 1;
            }
            else
            {
                warnings.Add(new InventoryIssue(at, null, "not a NetBox device, interface or cable; skipped"));
            }
        }
    }

    private static (string Device, string Port)? Termination(JsonElement cable, string side)
    {
        if (cable.Get($"termination_{side}") is { ValueKind: JsonValueKind.Object } old)
        {
            return cable.Get($"termination_{side}_type")?.GetString() is "dcim.interface" ? Interface(old) : null;
        }
        var first = cable.Get($"{side}_terminations").Items().FirstOrDefault();
        return first.ValueKind == JsonValueKind.Object && first.Get("object_type")?.GetString() == "dcim.interface" && first.Get("object") is { } obj
            ? Interface(obj) : null;
    }

    private static (string Device, string Port)? Interface(JsonElement e) =>
        e.Get("device")?.Get("name")?.GetString() is { } device && e.Get("name")?.GetString() is { } port ? (device, port) : null;

    private static void ReadCsv(ImportFile file, Dictionary<string, (string, string?, string)> devices,
        List<(string, string, string, string, string)> cables, Dictionary<string, int> parsed, List<InventoryIssue> warnings)
    {
        var table = CsvTable.Parse(file.Text);
        var name = table.Column("name");
        var role = table.Column("role", "device_role");
        var type = table.Column("device_type");
        var aDev = table.Column("side_a_device", "termination_a_device");
        var aName = table.Column("side_a_name", "termination_a_name");
        var aType = table.Column("side_a_type", "termination_a_type");
        var bDev = table.Column("side_b_device", "termination_b_device");
        var bName = table.Column("side_b_name", "termination_b_name");
        var bType = table.Column("side_b_type", "termination_b_type");
        string Field(string[] row, int i) => i >= 0 && i < row.Length ? row[i].Trim() : "";
        if (aDev >= 0 && bDev >= 0 && aName >= 0 && bName >= 0)
        {
            foreach (var (row, line) in table.Rows)
            {
                parsed["cables"]++;
                var at = $"{file.Name}:{line}";
                if (Field(row, aType) is { Length: > 0 } ta && ta != "dcim.interface" || Field(row, bType) is { Length: > 0 } tb && tb != "dcim.interface")
                {
                    warnings.Add(new InventoryIssue(file.Name, line, "cable is not between two interfaces; skipped"));
                    continue;
                }
                if (Field(row, aDev).Length == 0 || Field(row, bDev).Length == 0 || Field(row, aName).Length == 0 || Field(row, bName).Length == 0)
                {
                    warnings.Add(new InventoryIssue(file.Name, line, "cable row without both devices and interfaces; skipped"));
                    continue;
                }
                cables.Add((Field(row, aDev), Field(row, aName), Field(row, bDev), Field(row, bName), at));
            }
            return;
        }
        if (name >= 0 && type >= 0 && role >= 0)
        {
            foreach (var (row, line) in table.Rows)
            {
                parsed["devices"]++;
                if (Field(row, name) is { Length: > 0 } device)
                {
                    devices[device] = (Field(row, role), Field(row, type), $"{file.Name}:{line}");
                }
                else
                {
                    warnings.Add(new InventoryIssue(file.Name, line, "device row without a name; skipped"));
                }
            }
            return;
        }
        warnings.Add(new InventoryIssue(file.Name, 1, $"CSV with columns {string.Join(',', table.Header.Take(6))} is neither devices nor cables; ignored"));
    }
}
