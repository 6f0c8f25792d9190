using System.Data.Common;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Orleans.Storage;
using Twin.Grains.Persistence;

namespace Twin.Api.Resilience;

/// <summary>
/// Recognises the failures of the twin's own machinery that pass when the cluster settles: a dead or
/// departing silo, a rejected message, a lost connection, a timeout, PostgreSQL away for a moment. The
/// exception may be wrapped (grain storage, activation), so the whole inner chain is looked at.
/// Anything else is a defect and stays a 500.
/// </summary>
public static class TransientFailure
{
    public static TransientCause? Of(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.Select(Of).FirstOrDefault(c => c is not null);
            }
            TransientCause? cause = e switch
            {
                SiloUnavailableException => TransientCause.SiloUnavailable,
                ConnectionFailedException => TransientCause.ConnectionFailed,
                GatewayTooBusyException => TransientCause.GatewayBusy,
                OrleansMessageRejectionException => TransientCause.MessageRejected,
                InconsistentStateException => TransientCause.StateConflict,
                OrleansLifecycleCanceledException => TransientCause.ShuttingDown,
                DbException when StorageOutage.Is(e) => TransientCause.StorageUnavailable,
                TimeoutException => TransientCause.Timeout,
                _ => null,
            };
            if (cause is not null)
            {
                return cause;
            }
        }
        return null;
    }

    /// <summary>The problem's title and what a client should make of it.</summary>
    public static string Describe(TransientCause cause) => cause switch
    {
        TransientCause.SiloUnavailable => "A silo of the cluster is unavailable; its grains move to the others once it is declared dead.",
        TransientCause.MessageRejected => "The cluster rejected the call (a silo is leaving or a grain is moving).",
        TransientCause.ConnectionFailed => "No connection to the silo that holds the grain; it is probably down.",
        TransientCause.GatewayBusy => "The cluster is overloaded.",
        TransientCause.Timeout => "A call inside the cluster did not answer in time.",
        TransientCause.StorageUnavailable => "The twin's storage (PostgreSQL) is unreachable; nothing was stored.",
        TransientCause.StateConflict => "A grain moved between silos while this request changed it; nothing was stored.",
        TransientCause.ShuttingDown => "This silo is shutting down; another silo of the cluster answers.",
        _ => cause.ToString(),
    };
}
