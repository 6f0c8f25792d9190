namespace Twin.Model.Planning;

/// <summary>A fabric plan request that cannot be planned; <see cref="Field"/> names the offending request field.</summary>
public sealed class FabricPlanException(string field, string message) : ArgumentException(message)
{
    /// <summary>Request field at fault, as the REST body spells it (camelCase).</summary>
    public string Field { get; } = field;
}
