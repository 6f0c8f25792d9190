namespace Twin.Model.Tests.Calibration;

/// <summary>A twin value held against a published figure within a relative tolerance (docs/calibration.md, one row each).</summary>
internal static class Published
{
    /// <summary>Asserts |twin / published − 1| ≤ tolerance, saying both values and the error when it is not.</summary>
    public static void Within(double twin, double published, double tolerance, string row)
    {
        var error = twin / published - 1;
        Assert.True(Math.Abs(error) <= tolerance && Environment.GetEnvironmentVariable("CALIBRATION_SHOW") is null,
            $"{row}: twin {twin:G5} vs published {published:G5}: error {error:+0.0%;-0.0%} outside ±{tolerance:0%}");
    }
}
