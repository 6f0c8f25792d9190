namespace Twin.Telemetry.Prometheus;

/// <summary>
/// Receives what <see cref="PrometheusTextParser"/> finds. Implement it on a struct so the parser's generic
/// call is specialised and inlined: no interface dispatch, no boxing, no allocation per line.
/// </summary>
public interface IPrometheusSampleVisitor
{
    /// <summary>A well-formed sample line (histogram/summary series included, see <see cref="PrometheusSample.Series"/>).</summary>
    void OnSample(in PrometheusSample sample);

    /// <summary>A malformed line; parsing goes on with the next one. <paramref name="name"/> is the series name when one was read.</summary>
    void OnError(int line, ReadOnlySpan<byte> name, string reason);
}
