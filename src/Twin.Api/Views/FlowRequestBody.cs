namespace Twin.Api.Views;

/// <summary>
/// Body of <c>POST /api/v1/flows</c>: a flow from a host (a GPU, DPU or <c>site/host/hNNNN</c>) to a device, an
/// address (<c>203.0.113.7</c>) or <c>internet</c>, decided by the source host's DPU.
/// </summary>
public sealed record FlowRequestBody(
    string? Source,
    string? Destination,
    string? Protocol,
    int? Port,
    int? SourcePort,
    double? Bytes,
    bool? Syn,
    DateTimeOffset? At);

/// <summary>Body of <c>PUT /api/v1/tenants/{name}</c>: its hosts (<c>site/host/hNNNN</c>) and storage nodes.</summary>
public sealed record TenantBody(string[]? Members);

/// <summary>Body of <c>POST /api/v1/devices/{id}/attestation</c>: <c>passed</c>, <c>failed</c> or <c>missing</c>.</summary>
public sealed record AttestationBody(string? Status, DateTimeOffset? At);
