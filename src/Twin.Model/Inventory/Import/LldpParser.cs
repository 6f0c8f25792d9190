using System.Text.Json;

namespace Twin.Model.Inventory.Import;

/// <summary>
/// Reads LLDP neighbour tables: <c>lldpctl -f json0</c> / Cumulus <c>net show lldp json</c> (<c>{"lldp":[{"interface":[…]}]}</c>),
/// <c>lldpctl -f json</c>, Arista <c>show lldp neighbors [detail]</c> JSON, and SuzieQ captures that wrap any of them
/// per device (several JSON arrays back to back, <c>data</c> holding the command output as a string). Each neighbour
/// is a cable from the local port to the neighbour's port, counted once when both ends report it. Devices whose
/// LLDP capabilities say bridge or router (or whose capture says a switch OS) are switches, the others hosts.
/// </summary>
public static class LldpParser
{
    /// <summary>Parses one file; <c>localName</c> is the reporting device when the file itself does not say (plain lldpctl or eAPI output).</summary>
    public static ImportResult Parse(ImportFile file, string site, string? localName = null)
    {
        var warnings = new List<InventoryIssue>();
        var entries = new List<(string Local, string LocalPort, string Remote, string RemotePort, bool? RemoteSwitch, string? RemoteMac)>();
        var localKinds = new Dictionary<string, bool>(StringComparer.OrdinalIgnoreCase);
        var records = 0;
        var fallbackLocal = InventoryNames.Slug(localName) ?? InventoryNames.Slug(Path.GetFileNameWithoutExtension(file.Name)) ?? "local";
        foreach (var value in JsonInput.ReadAll(file))
        {
            foreach (var item in value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().ToList() : [value])
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("hostname", out var hn) && item.TryGetProperty("data", out var data))
                {
                    // a SuzieQ record: one device's command output
                    records++;
                    var local = InventoryNames.Slug(hn.GetString()) ?? fallbackLocal;
                    var devtype = item.TryGetProperty("devtype", out var dt) ? dt.GetString() ?? "" : "";
                    localKinds[local] = devtype is not ("linux" or "");
                    var payload = data.ValueKind == JsonValueKind.String ? (data.GetString() ?? "") : data.GetRawText();
                    if (payload.Trim().Length == 0)
                    {
                        continue;
                    }
                    if ((data.ValueKind == JsonValueKind.Object ? data : JsonInput.Parse(payload, file.Name)) is not { } output)
                    {
                        warnings.Add(new InventoryIssue($"{file.Name}[{records - 1}].data", null, $"{local}: plain-text LLDP output is not read; export it as JSON (lldpctl -f json0)"));
                        continue;
                    }
                    if (!Read(output, local, entries))
                    {
                        warnings.Add(new InventoryIssue($"{file.Name}[{records - 1}].data", null, $"{local} ({devtype}): LLDP JSON of an unsupported shape; skipped"));
                    }
                    continue;
                }
                records++;
                if (!Read(item, fallbackLocal, entries))
                {
                    warnings.Add(new InventoryIssue($"{file.Name}[{records - 1}]", null, "not lldpctl or Arista LLDP JSON; skipped"));
                }
            }
        }
        if (entries.Count == 0 && localKinds.Count == 0)
        {
            throw new InventoryException(file.Name, [new InventoryIssue(file.Name, null, "no LLDP neighbours found: expected lldpctl json0, Arista show lldp neighbors JSON, or a SuzieQ capture of them")]);
        }

        // switch or host: what the capture says of a local device, else its neighbours' view of its capabilities
        var isSwitch = new Dictionary<string, bool>(localKinds, StringComparer.OrdinalIgnoreCase);
        foreach (var e in entries)
        {
            if (!isSwitch.ContainsKey(e.Remote) && e.RemoteSwitch is { } s)
            {
                isSwitch[e.Remote] = s;
            }
            isSwitch.TryAdd(e.Local, true);
        }
        var assembler = new SiteAssembler(site) { Network = "ethernet" };
        foreach (var (name, sw) in isSwitch)
        {
            if (sw)
            {
                assembler.Switch(name);
            }
            else
            {
                assembler.Host(name);
            }
        }
        foreach (var e in entries)
        {
            if (!isSwitch.ContainsKey(e.Remote))
            {
                assembler.Switch(e.Remote);
            }
            if (e.Local == e.Remote)
            {
                warnings.Add(new InventoryIssue(file.Name, null, $"loopback on {e.Local} ({e.LocalPort} ↔ {e.RemotePort}); skipped"));
                continue;
            }
            if (assembler.IsHost(e.Local))
            {
                assembler.Host(e.Local).Nic(e.LocalPort);
            }
            if (assembler.IsHost(e.Remote))
            {
                assembler.Host(e.Remote).Nic(e.RemotePort, mac: e.RemoteMac);
            }
            if (assembler.IsHost(e.Local) && assembler.IsHost(e.Remote))
            {
                continue;
            }
            assembler.Cable(e.Local, e.LocalPort, e.Remote, e.RemotePort);
        }
        var parsed = new Dictionary<string, int>
        {
            ["records"] = records,
            ["neighbors"] = entries.Count,
            ["switches"] = assembler.SwitchCount,
            ["hosts"] = assembler.HostCount,
            ["cables"] = assembler.CableCount,
        };
        return new ImportResult(new InventoryDocument { Name = site, Sites = [assembler.Build()] }, parsed, warnings);
    }

    private static bool Read(JsonElement output, string local, List<(string, string, string, string, bool?, string?)> entries)
    {
        if (output.ValueKind != JsonValueKind.Object)
        {
            return false;
        }
        if (output.TryGetProperty("lldp", out var lldp))
        {
            foreach (var block in lldp.ValueKind == JsonValueKind.Array ? lldp.EnumerateArray().ToList() : [lldp])
            {
                var interfaces = block.Get("interface");
                foreach (var iface in interfaces.Items())
                {
                    // json0: {"name":"swp1","chassis":[…],"port":[…]}; json: {"swp1":{"chassis":{"spine01":{…}},"port":{…}}}
                    if (iface.TryGetProperty("name", out _))
                    {
                        Lldpctl(iface, iface.GetProperty("name").GetString() ?? "", local, entries);
                    }
                    else
                    {
                        foreach (var p in iface.EnumerateObject())
                        {
                            Lldpctl(p.Value, p.Name, local, entries);
                        }
                    }
                }
            }
            return true;
        }
        if (output.TryGetProperty("lldpNeighbors", out var eos))
        {
            if (eos.ValueKind == JsonValueKind.Array)
            {
                foreach (var n in eos.EnumerateArray())
                {
                    if (Slug(n.Get("neighborDevice")?.GetString()) is { } remote && n.Get("port")?.GetString() is { } port)
                    {
                        entries.Add((local, port, remote, n.Get("neighborPort")?.GetString() ?? "", null, null));
                    }
                }
                return true;
            }
            foreach (var port in eos.EnumerateObject())
            {
                foreach (var info in port.Value.Get("lldpNeighborInfo").Items())
                {
                    var remote = Slug(info.Get("systemName")?.GetString()) ?? Slug(info.Get("chassisId")?.GetString());
                    if (remote is null)
                    {
                        continue;
                    }
                    var iface = info.Get("neighborInterfaceInfo");
                    var id = iface?.Get("interfaceId")?.GetString()?.Trim('"') ?? "";
                    var byMac = iface?.Get("interfaceIdType")?.GetString() == "macAddress";
                    var remotePort = byMac && iface?.Get("interfaceDescription")?.GetString() is { Length: > 0 } d ? d : id;
                    bool? sw = info.Get("systemCapabilities") is { ValueKind: JsonValueKind.Object } caps
                        ? caps.EnumerateObject().Any(c => c.Name is "bridge" or "router" && c.Value.ValueKind == JsonValueKind.True)
                        : null;
                    entries.Add((local, port.Name, remote, remotePort, sw, byMac ? id : null));
                }
            }
            return true;
        }
        return false;
    }

    private static void Lldpctl(JsonElement iface, string localPort, string local, List<(string, string, string, string, bool?, string?)> entries)
    {
        var chassis = iface.Get("chassis");
        string? remote = null;
        JsonElement? info = chassis;
        if (chassis is { } c)
        {
            remote = Slug(c.Str("name"));
            if (remote is null && (c.ValueKind == JsonValueKind.Object ? c : c.GetArrayLength() > 0 ? c[0] : default) is { ValueKind: JsonValueKind.Object } obj
                && !obj.TryGetProperty("id", out _) && obj.EnumerateObject().FirstOrDefault() is { Value.ValueKind: JsonValueKind.Object } named)
            {
                remote = Slug(named.Name);
                info = named.Value;
            }
            remote ??= Slug(info.Str("id"));
        }
        if (remote is null)
        {
            return;
        }
        var port = iface.Get("port");
        var idType = port?.Get("id")?.Get("type")?.GetString();
        var id = port.Str("id") ?? "";
        var remotePort = idType == "mac" && port.Str("descr") is { Length: > 0 } descr ? descr : id;
        bool? sw = null;
        if (info?.Get("capability") is { } caps)
        {
            sw = caps.Items().Any(x => x.Get("type")?.GetString() is "Bridge" or "Router" && x.Get("enabled")?.ValueKind == JsonValueKind.True);
        }
        entries.Add((local, localPort, remote, remotePort, sw, idType == "mac" ? id : null));
    }

    private static string? Slug(string? name) => InventoryNames.Slug(name);
}
