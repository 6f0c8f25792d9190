namespace Twin.Model.Fabric;

/// <summary>Light in fibre travels at about c/1.47, i.e. ≈ 5 µs per km one way.</summary>
public static class FibrePropagation
{
    public const double MicrosecondsPerKm = 5.0;

    public static TimeSpan OneWay(double km) => TimeSpan.FromTicks((long)Math.Round(km * MicrosecondsPerKm * TimeSpan.TicksPerMicrosecond));
}
