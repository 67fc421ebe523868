// Where a request stands, from the chain alone (`cvex vrf status`, `cvex vrf fulfilments`, the
// devnet's status lines): the coordinator's requestStatus and keyStatus views, the request's log
// (its key), and, once fulfilled, the fulfilment re-verified (fulfilment_record.hpp) with its
// callback's outcome — so a game can tell "waiting for confirmations" from "its oracle is dead"
// from "your callback reverted with NotReadyYet(5, 42)".
#pragma once

#include <optional>
#include <string>

#include "chain/rpc/eth_client.hpp"
#include "oracle/fulfilment_record.hpp"

namespace cvex::oracle {

/// As IVRFCoordinator.RequestState.
enum class RequestState { kNone, kPending, kFulfilled, kCallbackFailed, kRedelivered, kCancelled };
std::string to_string(RequestState s);

struct KeyLiveness {
    chain::Hash32 key_hash;
    chain::Address oracle;  // zero: never registered
    bool active = false;    // registered and not deregistered
    bool attested = false;  // its oracle attested with this key hash now
    uint64_t last_fulfilled_block = 0;  // 0: never
};

struct RequestStatusView {
    chain::U256 request_id;
    RequestState state = RequestState::kNone;
    chain::Address requester;
    uint64_t request_block = 0, ready_at = 0, cancellable_at = 0;
    chain::U256 fee;  // wei the request reserved (its fulfilment charges at most this)
    uint64_t head = 0;                          // the block the views were read at
    std::optional<KeyLiveness> key;             // from the request's log (absent for kNone)
    std::optional<FulfilmentRecord> fulfilment; // re-verified; with the callback's failure if any

    /// One line a person reads: "pending (ready at block 120)", "no such request",
    /// "fulfilled in block 130; callback failed: NotReadyYet(5, 42)", …
    std::string summary() const;
    /// Everything above as one JSON object.
    std::string to_json() const;
};

struct StatusError {
    enum Kind { kNotCoordinator, kRpc, kUnverifiable } kind = kRpc;
    std::string detail;
    std::string message() const;
};

/// Reads request `id` at the head of `coordinator`.
cvex::Expected<RequestStatusView, StatusError> read_request_status(chain::EthClient& client, const chain::Address& coordinator,
                                                                   const chain::U256& id);

}  // namespace cvex::oracle
