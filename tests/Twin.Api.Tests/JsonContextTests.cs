using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twin.Api.Ingestion;
using Twin.Contracts.Devices;

namespace Twin.Api.Tests;

/// <summary>The hot responses are serialised by compiled (source-generated) metadata, not reflection.</summary>
[Collection(TwinAppCollection.Name)]
public sealed class JsonContextTests(TwinAppFixture twin)
{
    [Theory]
    [InlineData(typeof(DeviceView))]
    [InlineData(typeof(IngestResponse))]
    public void HotResponseTypes_ResolveFromTheSourceGeneratedContext(Type type)
    {
        var options = twin.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        var info = options.GetTypeInfo(type);

        Assert.Equal("TwinJsonContext", info.OriginatingResolver?.GetType().Name);
        Assert.Equal(JsonNamingPolicy.CamelCase, options.PropertyNamingPolicy);
    }
}
