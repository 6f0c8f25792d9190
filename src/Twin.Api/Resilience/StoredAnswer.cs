namespace Twin.Api.Resilience;

/// <summary>An answer as it went out, to be sent again byte for byte: status, content type, <c>Location</c>, body.</summary>
public sealed record StoredAnswer(int Status, string? ContentType, string? Location, byte[] Body);
