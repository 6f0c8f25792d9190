namespace Twin.Api.Resilience;

/// <summary>Why a request could not be answered right now, though the same request may succeed in a moment.</summary>
public enum TransientCause
{
    /// <summary>The silo that holds the grain is gone or not yet declared dead (Orleans <c>SiloUnavailableException</c>).</summary>
    SiloUnavailable,

    /// <summary>The runtime refused the message: target silo shutting down, activation lost while forwarding.</summary>
    MessageRejected,

    /// <summary>No connection to the silo that holds the grain (<c>ConnectionFailedException</c>).</summary>
    ConnectionFailed,

    /// <summary>A gateway refused the call for load.</summary>
    GatewayBusy,

    /// <summary>A grain call or a storage call did not answer in time.</summary>
    Timeout,

    /// <summary>PostgreSQL (grain state, history, idempotency keys) is briefly unreachable.</summary>
    StorageUnavailable,

    /// <summary>Two activations of one grain overlapped during a failover and this one's state write lost.</summary>
    StateConflict,

    /// <summary>This silo is shutting down and takes no new requests.</summary>
    ShuttingDown,
}
