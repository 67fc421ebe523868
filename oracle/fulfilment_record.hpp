// A fulfilment as anyone can re-check it from the chain alone: the request (its log), the block
// hash that seeded it, the proof (from the fulfilling transaction's calldata, single or batch),
// alpha, beta and the words. read_fulfilments() verifies every proof with RFC 9381 §5.3 and
// checks that beta is the one the coordinator emitted, so a record it returns is a checked one.
// `cvex vrf fulfilments` and `scripts/devnet.sh --json` print these records.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chain/rpc/eth_client.hpp"
#include "oracle/oracle_error.hpp"
#include "oracle/request.hpp"
#include "vrf/ecvrf.hpp"

namespace cvex::oracle {

/// A failed callback, from the coordinator's CallbackFailed log in the same fulfilment.
struct CallbackFailure {
    bool out_of_gas = false;  // the callback used its whole gas limit (out of gas, or INVALID)
    cvex::Bytes revert_data;  // the first MAX_REVERT_DATA (164) bytes
    std::string reason;       // decoded: "NotReadyYet(5, 42)", "Error(\"…\")", "custom error 0x…: 0x…"
    /// "ran out of its gas limit" or "reverted: <reason>".
    std::string summary() const;
};

struct FulfilmentRecord {
    VrfRequest request;
    chain::Hash32 request_block_hash;
    vrf::PointBytes pk{};  // compressed proving key
    chain::Hash32 alpha;
    vrf::ProofBytes pi{};
    chain::Hash32 beta;
    std::vector<chain::U256> words;
    bool callback_success = false;
    std::optional<CallbackFailure> callback_failure;  // when the callback failed and CallbackFailed says why
    chain::Hash32 transaction_hash;
    uint64_t block_number = 0;
    chain::Address oracle;  // the fulfilment transaction's sender (replicas of one key each have their own)
};

/// The fulfilments emitted by `coordinator` in [from, to] (all, or only `ids`), verified.
cvex::Expected<std::vector<FulfilmentRecord>, OracleError> read_fulfilments(chain::EthClient& client, const chain::Address& coordinator,
                                                                             uint64_t from, uint64_t to,
                                                                             const std::vector<chain::U256>& ids = {});

/// One line of JSON: request_id, pk, alpha, proof, beta (0x hex) and words (decimal strings),
/// plus callback_success, tx, block, oracle (the sender) and key_hash, and `callback` {out_of_gas, revert_data, reason} when the
/// callback failed.
std::string to_json_line(const FulfilmentRecord& record);

}  // namespace cvex::oracle
