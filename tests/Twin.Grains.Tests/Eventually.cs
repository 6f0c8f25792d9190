namespace Twin.Grains.Tests;

/// <summary>
/// Stream delivery is asynchronous: poll a condition until it holds or a bound passes. This waits for
/// a message to arrive, not for time to pass, and fails loudly with the last value seen.
/// </summary>
public static class Eventually
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        T value;
        while (!done(value = await read()))
        {
            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"condition not met within {timeoutMs} ms; last value: {value}");
            }
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
        return value;
    }
}
