namespace Twin.Bench;

/// <summary>One measured figure beside the baseline measured in the same run; the ratio is what compares across machines.</summary>
public sealed record Figure(string Name, double Value, string Unit, double Baseline, string BaselineUnit, string BaselineWhat)
{
    public double Ratio => Baseline == 0 ? 0 : Value / Baseline;
}
