namespace Twin.Grains.Persistence;

/// <summary>
/// The <c>Idempotency-Key</c> of the REST request a grain call serves, carried in Orleans' request context. A grain
/// that creates something keeps it with what it created, so a request that ran again after its answer was lost
/// (the silo that ran it died) finds the first result instead of creating twice.
/// </summary>
public static class RequestKey
{
    private const string Name = "twin.idempotency-key";

    public static string? Current => RequestContext.Get(Name) as string;

    public static void Set(string? key)
    {
        if (key is null)
        {
            RequestContext.Remove(Name);
        }
        else
        {
            RequestContext.Set(Name, key);
        }
    }
}
