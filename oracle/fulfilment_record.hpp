// A fulfilment as anyone can re-check it from the chain alone: the request (its log), the block
// hash that seeded it, the proof (from the fulfilling transaction's calldata, single or batch),
// alpha, beta and the words. read_fulfilments() verifies every proof with RFC 9381 §5.3 and
// checks that beta is the one the coordinator emitted, so a record it returns is a checked one.
// `cvex vrf fulfilments` and `scripts/devnet.sh --json` print these records.
#pragma once

#include <string>
#include <vector>

#include "chain/rpc/eth_client.hpp"
#include "oracle/request.hpp"
#include "vrf/ecvrf.hpp"

namespace cvex::oracle {

struct FulfilmentRecord {
    VrfRequest request;
    chain::Hash32 request_block_hash;
    vrf::PointBytes pk{};  // compressed proving key
    chain::Hash32 alpha;
    vrf::ProofBytes pi{};
    chain::Hash32 beta;
    std::vector<chain::U256> words;
    bool callback_success = false;
    chain::Hash32 transaction_hash;
    uint64_t block_number = 0;
};

/// The fulfilments emitted by `coordinator` in [from, to] (all, or only `ids`), verified.
cvex::Expected<std::vector<FulfilmentRecord>, std::string> read_fulfilments(chain::EthClient& client, const chain::Address& coordinator,
                                                                             uint64_t from, uint64_t to,
                                                                             const std::vector<chain::U256>& ids = {});

/// One line of JSON: request_id, pk, alpha, proof, beta (0x hex) and words (decimal strings),
/// plus tx and block.
std::string to_json_line(const FulfilmentRecord& record);

}  // namespace cvex::oracle
