using Microsoft.AspNetCore.Http;

namespace Twin.Api.Security;

/// <summary>
/// The one place that decides which role a request needs, from its method and path alone, so an
/// endpoint added later is covered without touching it:
/// <list type="bullet">
/// <item>paths outside <c>/api</c>, <c>/v1</c>, <c>/metrics</c> and <c>/orleans</c> are open (<c>/healthz</c>, <c>/</c>, static
/// dashboard assets, <c>/openapi/*</c>, <c>/docs</c>);</item>
/// <item><c>/orleans</c>: GET needs <c>reader</c>, anything else <c>admin</c>;</item>
/// <item>GET, HEAD, OPTIONS need <c>reader</c>;</item>
/// <item>other methods on <c>/api/v1/telemetry…</c>, <c>/api/v1/write</c> (Prometheus remote write), <c>/v1/…</c> (OTLP) and <c>/metrics/job/…</c> (Pushgateway-style pushes) need <c>ingest</c>;</item>
/// <item>other methods anywhere else (faults, jobs, scenarios, plans, forecasts) need <c>operator</c>.</item>
/// </list>
/// <c>admin</c> grants everything; <c>operator</c> also grants <c>reader</c> (an operator reads what it changes);
/// <c>ingest</c> grants only ingestion, so a telemetry agent's key cannot read the factory.
/// </summary>
public static class TwinRoles
{
    public const string Reader = "reader";
    public const string Operator = "operator";
    public const string Ingest = "ingest";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Reader, Operator, Ingest, Admin];

    private static readonly PathString[] Protected = ["/api", "/v1", "/metrics", "/orleans"];

    /// <summary>The role a request needs, or null when the path is open.</summary>
    public static string? Required(string method, PathString path)
    {
        if (!Protected.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        var read = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);
        if (path.StartsWithSegments("/orleans", StringComparison.OrdinalIgnoreCase))
        {
            return read ? Reader : Admin;
        }
        if (read)
        {
            return Reader;
        }
        return path.StartsWithSegments("/api/v1/telemetry", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/api/v1/write", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments("/metrics/job", StringComparison.OrdinalIgnoreCase)
            ? Ingest
            : Operator;
    }

    /// <summary>Whether a key holding <paramref name="roles"/> may do what needs <paramref name="required"/>.</summary>
    public static bool Grants(IEnumerable<string> roles, string required) => roles.Any(role =>
        role == Admin || role == required || (role == Operator && required == Reader));
}
