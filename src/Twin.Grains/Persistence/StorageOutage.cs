using System.Data.Common;
using System.Net.Sockets;

namespace Twin.Grains.Persistence;

/// <summary>
/// The one test for "the database is away for a moment" (refused or dropped connection, server restarting, timeout),
/// as opposed to a defect such as a constraint violation. Looks through wrapping exceptions.
/// </summary>
public static class StorageOutage
{
    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true } or DbException { InnerException: SocketException or IOException or TimeoutException })
            {
                return true;
            }
        }
        return false;
    }
}
