using System.Security.Cryptography;
using System.Text;
using Twin.Api.Tests.Observability;

namespace Twin.Api.Tests.Security;

/// <summary>
/// The twin with API keys configured (one per role, plus a reader key given only by its SHA-256 with a tenant),
/// exporting OTLP to a receiver the fixture owns.
/// </summary>
public sealed class SecuredTwinFixture : IAsyncLifetime
{
    public const string ReaderKey = "reader-key-6f1c0d9e2b";
    public const string OperatorKey = "operator-key-8a7e33c1d4";
    public const string IngestKey = "ingest-key-52b9f0a6e1";
    public const string AdminKey = "admin-key-c3d2e1f0a9b8";
    public const string TenantReaderKey = "tenant-reader-key-0d4e9f";

    private TwinTestHost? _host;

    public OtlpReceiver Otlp { get; } = new();

    public TwinTestHost Host => _host!;

    public HttpClient Http => Host.Http;

    /// <summary>Does not follow redirects: HttpClient drops the Authorization header on a redirect, and a 3xx is an answer.</summary>
    public HttpClient NoRedirect { get; private set; } = null!;

    public static IReadOnlyDictionary<string, string> KeysByRole { get; } = new Dictionary<string, string>
    {
        ["reader"] = ReaderKey, ["operator"] = OperatorKey, ["ingest"] = IngestKey, ["admin"] = AdminKey,
    };

    public async ValueTask InitializeAsync()
    {
        Otlp.Start();
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(TenantReaderKey)));
        _host = await TwinTestHost.Start(
        [
            "--Twin:OrleansDashboard=true", // off by default; the role matrix covers it
            "--Twin:Auth:Keys:0:Key=" + ReaderKey, "--Twin:Auth:Keys:0:Roles:0=reader",
            "--Twin:Auth:Keys:1:Key=" + OperatorKey, "--Twin:Auth:Keys:1:Roles:0=operator",
            "--Twin:Auth:Keys:2:Key=" + IngestKey, "--Twin:Auth:Keys:2:Roles:0=ingest",
            "--Twin:Auth:Keys:3:Key=" + AdminKey, "--Twin:Auth:Keys:3:Roles:0=admin",
            "--Twin:Auth:Keys:4:Sha256=" + sha, "--Twin:Auth:Keys:4:Roles:0=reader", "--Twin:Auth:Keys:4:Tenant=acme",
            "--Twin:Auth:Keys:4:Name=acme-dashboard",
            "--OTEL_EXPORTER_OTLP_ENDPOINT=" + Otlp.Endpoint,
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
            "--OTEL_METRIC_EXPORT_INTERVAL=500",
            "--OTEL_BSP_SCHEDULE_DELAY=200",
            "--OTEL_SERVICE_NAME=twin-secured-test",
        ]);
        NoRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public HttpRequestMessage Request(HttpMethod method, string url, string? key = null, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return request;
    }

    public async ValueTask DisposeAsync()
    {
        NoRedirect?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        await Otlp.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SecuredTwinCollection : ICollectionFixture<SecuredTwinFixture>
{
    public const string Name = "secured-twin";
}
