namespace Twin.Model.Inference;

/// <summary>
/// An inference service's figures at its load: replicas up, batch bounds, capacity (req/s), utilisation ρ, TTFT and
/// TPOT (ms; TTFT infinite when overloaded), the prefill and KV-fetch parts of TTFT, and whether the SLA holds (and
/// why not). Beside them, the two figures benchmarks publish: one request alone (batch-1 TTFT and TPOT) and a
/// replica saturated at its largest batch within the TPOT SLA (output tokens/s and TPOT there).
/// </summary>
public sealed record InferenceEstimate(
    int HealthyReplicas,
    int MaxBatch,
    int Batch,
    double ReplicaRequestsPerSecond,
    double CapacityRequestsPerSecond,
    double Utilization,
    double TtftMs,
    double TpotMs,
    double PrefillMs,
    double KvFetchMs,
    bool SlaMet,
    string? Breach,
    double BatchOneTtftMs,
    double BatchOneTpotMs,
    double SaturatedTokensPerSecond,
    double SaturatedTpotMs);
