using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Twin.Api.Security;

/// <summary>
/// With no API keys the twin runs open on loopback and says so, and refuses to start on any
/// other address. Checked twice: before anything starts, from the configured addresses (Kestrel endpoints,
/// else <c>urls</c> — <c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Twin:Port</c> — else <c>http_ports</c>/<c>https_ports</c>,
/// else Kestrel's default localhost:5000); and once the server listens, from the addresses it reports.
/// </summary>
public sealed partial class LoopbackGuard(ApiKeyStore keys, IConfiguration configuration, IServer server, ILogger<LoopbackGuard> logger)
    : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (keys.IsOpen)
        {
            var addresses = ConfiguredAddresses(configuration);
            Refuse(addresses);
            LogOpen(logger, string.Join(", ", addresses));
        }
        else
        {
            LogKeys(logger, keys.Count);
        }
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (keys.IsOpen && server.Features.Get<IServerAddressesFeature>() is { } bound)
        {
            Refuse(bound.Addresses.ToList());
        }
        return Task.CompletedTask;
    }

    /// <summary>The addresses Kestrel will bind, from configuration, in Kestrel's own order of precedence.</summary>
    public static IReadOnlyList<string> ConfiguredAddresses(IConfiguration configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(e => e["Url"]).OfType<string>().Where(u => u.Length > 0).ToList();
        if (endpoints.Count > 0)
        {
            return endpoints;
        }
        var urls = Split(configuration["urls"]);
        if (urls.Count > 0)
        {
            return urls;
        }
        // ASPNETCORE_HTTP_PORTS (set by the official container images) binds every interface
        var ports = Split(configuration["http_ports"]).Select(p => $"http://*:{p}")
            .Concat(Split(configuration["https_ports"]).Select(p => $"https://*:{p}")).ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    /// <summary>Whether a URL's host is localhost, 127.0.0.0/8 or [::1]; wildcards (*, +, 0.0.0.0, [::]) and names are not.</summary>
    public static bool IsLoopbackUrl(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var hostEnd = rest.StartsWith('[') ? rest.IndexOf(']') + 1 : rest.IndexOfAny([':', '/']);
        var host = (hostEnd <= 0 ? rest : rest[..hostEnd]).Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return IPAddress.TryParse(host, out var ip) && IsLoopback(ip);
    }

    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static List<string> Split(string? value) =>
        value?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    private void Refuse(IReadOnlyCollection<string> addresses)
    {
        var exposed = addresses.Where(a => !IsLoopbackUrl(a)).ToList();
        if (exposed.Count == 0)
        {
            return;
        }
        var message =
            $"Refusing to start: the API would listen on {string.Join(", ", exposed)}, which is not loopback, and no API keys are configured. " +
            "Add a key under Twin:Auth:Keys, e.g. Twin__Auth__Keys__0__Key=<random secret of 16+ characters> and Twin__Auth__Keys__0__Roles__0=admin " +
            "(or Twin__Auth__Keys__0__Sha256=<hex SHA-256 of the key>), or bind to localhost (--urls http://localhost:5000).";
        LogRefused(logger, message);
        throw new InvalidOperationException(message);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "No API keys configured (Twin:Auth:Keys): the API is OPEN to anyone who can reach {Addresses}, which are loopback only. Configure keys before exposing the twin.")]
    private static partial void LogOpen(ILogger logger, string addresses);

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys required: {Count} key(s) configured")]
    private static partial void LogKeys(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Critical, Message = "{Message}")]
    private static partial void LogRefused(ILogger logger, string message);
}
