using Twin.Model.Inference;
using Twin.Model.Workloads;

namespace Twin.Model.Tests.Calibration;

/// <summary>
/// Inference rows of docs/calibration.md: Llama 3.3 70B in FP8 (weights and KV cache) on H100 SXM, tensor parallel 2,
/// as TensorRT-LLM's performance overview and NVIDIA's NIM benchmarking guide publish it.
/// </summary>
public sealed class InferenceCalibrationTests
{
    private static readonly GpuSpecs.Spec H100 = GpuSpecs.For("H100-SXM5-80GB");

    // 80 layers × 8 KV heads × 128 dims × K and V × 1 byte (FP8 KV cache)
    private const double Fp8KvBytesPerToken = 2 * 80 * 8 * 128 * 1;

    // Max-throughput benchmarks have no latency SLA: the batch is bounded by KV room only.
    private static InferenceServiceSpec Llama70BFp8Tp2(double tokensIn, double tokensOut) => new()
    {
        Name = "llama-3.3-70b", Site = "calibration", ModelParams = 70.6e9, BytesPerParam = 1, Precision = ModelPrecision.Fp8,
        GpusPerReplica = 2, TokensIn = tokensIn, TokensOut = tokensOut, KvBytesPerToken = Fp8KvBytesPerToken,
        TpotSlaMs = 1e9, TtftSlaMs = 1e9, RequestsPerSecond = 0,
    };

    [Theory]
    [InlineData(500, 2000, 5222.0)]
    [InlineData(2048, 2048, 3082.0)]
    [InlineData(2048, 128, 762.0)]
    public void TensorRtLlm_MaxThroughput_H100Tp2Fp8(double tokensIn, double tokensOut, double publishedTokensPerSecond)
    {
        var e = InferenceModel.Estimate(Llama70BFp8Tp2(tokensIn, tokensOut), 1, H100);
        Published.Within(e.SaturatedTokensPerSecond, publishedTokensPerSecond, 0.20, $"TRT-LLM {tokensIn}/{tokensOut}");
    }

    [Fact]
    public void EightH100_AsFourTp2Replicas_2048In128Out_RequestsPerSecond()
    {
        // 762 output tokens/s per TP2 group × 4 groups / 128 tokens per request = 23.8 req/s
        var e = InferenceModel.Estimate(Llama70BFp8Tp2(2048, 128) with { Replicas = 4 }, 4, H100);
        Published.Within(e.CapacityRequestsPerSecond, 762.0 * 4 / 128, 0.20, "8×H100 req/s");
    }

    [Fact]
    public void Nim_BatchOneTimePerOutputToken_500In2000Out()
    {
        var e = InferenceModel.Estimate(Llama70BFp8Tp2(500, 2000), 1, H100);
        Published.Within(e.BatchOneTpotMs, 18.9, 0.20, "NIM batch-1 TPOT");
    }

    [Fact]
    public void Nim_BatchOneTimeToFirstToken_5000In500Out()
    {
        var e = InferenceModel.Estimate(Llama70BFp8Tp2(5000, 500), 1, H100);
        Published.Within(e.BatchOneTtftMs, 407, 0.20, "NIM batch-1 TTFT");
    }
}
