namespace Twin.Model.Inventory;

/// <summary>A server: its real name and the other names it reports, its GPUs, NICs and DPU.</summary>
public sealed record InventoryHost
{
    /// <summary>The host's name as the twin's ids spell it (<c>dgx-a17-03</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Other names telemetry may report for it (FQDN, BMC name, cloud instance id).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    public string? Pod { get; init; }

    public string? Rack { get; init; }

    /// <summary>NVLink domain number shared by all its GPUs; one domain per host when absent.</summary>
    public int? NvlinkDomain { get; init; }

    public IReadOnlyList<InventoryGpu> Gpus { get; init; } = [];

    public IReadOnlyList<InventoryNic> Nics { get; init; } = [];

    public InventoryDpu? Dpu { get; init; }
}

/// <summary>A GPU of a host, by its index (dcgm-exporter's <c>gpu</c>) and, when known, its UUID.</summary>
public sealed record InventoryGpu
{
    public required int Index { get; init; }

    public string? Uuid { get; init; }

    public string Model { get; init; } = "unknown";

    /// <summary>Overrides the host's NVLink domain (hosts whose GPUs span several domains).</summary>
    public int? NvlinkDomain { get; init; }
}

/// <summary>A scale-out adapter port. <see cref="Rail"/> is the GPU index it serves (rail-optimised hosts pair NIC i with GPU i).</summary>
public sealed record InventoryNic
{
    /// <summary>Adapter name (<c>mlx5_3</c>, <c>eth2</c>).</summary>
    public required string Name { get; init; }

    public int? Rail { get; init; }

    /// <summary>InfiniBand port GUID (<c>0xe09d7303007a4bd8</c>).</summary>
    public string? Guid { get; init; }

    public string? Mac { get; init; }

    public double SpeedGbps { get; init; } = 400;
}

/// <summary>The host's DPU (BlueField), one per host at most.</summary>
public sealed record InventoryDpu
{
    public string Model { get; init; } = "dpu-400g";

    public double SpeedGbps { get; init; } = 400;

    public string? Mac { get; init; }
}
