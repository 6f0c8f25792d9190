namespace Twin.Grains.Persistence;

/// <summary>
/// The grain storage provider the twin's durable grains name. The host binds it: memory in embedded
/// mode, PostgreSQL (ADO.NET) in the cluster profile, so grains never know which.
/// </summary>
public static class TwinStorage
{
    public const string Name = "twin";
}
