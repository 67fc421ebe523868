// VrfOracle: follows the coordinator's requests for one proving key and fulfils each exactly once.
//
// - Following: eth_getLogs over the coordinator from a cursor, in bounded ranges; the hash of
//   each processed block range's last block is remembered, and every poll first checks that the
//   highest remembered block is still canonical. On a mismatch it walks back to the fork point,
//   forgets requests from the removed blocks and rescans from there: a request that vanished is
//   never fulfilled, one re-included elsewhere is proven with its new block hash (new seed).
// - Finality: a request is fulfilled once the head reaches blockNumber + minConfirmations (the
//   coordinator's own rule; or + the operator's `min_confirmations` floor when that is higher),
//   and only after its block's hash is checked canonical again.
// - State comes from the chain: resync() (at start) asks the coordinator for every pending
//   request id, reads their request logs, and resumes following from the oldest of its own.
//   Requests older than that start are only taken if the coordinator said they were pending,
//   and every batch is filtered through pendingRequests() just before it is sent, so a restart
//   (even after kill -9 with transactions in flight) fulfils nothing twice and loses nothing.
// - Batching: ready requests go out in fulfillRandomWordsBatch transactions (one request:
//   fulfillRandomWords, which is cheaper), several in flight through the Sender, each with the
//   gas limit fulfilment_gas.hpp gives from the proofs and the coordinator's callback reserve.
//   A skipped entry (a consumer's failure never skips: the coordinator catches it) is retried
//   after a back-off, with its decoded reason logged.
// - Requests for other keys are skipped and logged; requests are held, not dropped, while the
//   key is not attested (expired, revoked) and resume when it is again.
// - Replicas: several oracles (each its own Ethereum key, attested with the same VRF key hash)
//   serve one key without talking to each other. A request's primary is replica
//   `requestId mod replica_count`; the others send it only once it is still pending
//   `takeover_blocks` after it became ready, so a dead replica's share is taken over and a live
//   one's is rarely duplicated (a duplicate is skipped by the coordinator and costs only gas).
//   A replica that finds the key's oracle of record no longer attested claims the record, so the
//   coordinator keeps accepting requests for the key.
#pragma once

#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/rpc/eth_client.hpp"
#include "oracle/oracle_error.hpp"
#include "chain/rpc/sender.hpp"
#include "oracle/coordinator_client.hpp"
#include "oracle/fulfilment_gas.hpp"
#include "oracle/oracle_metrics.hpp"
#include "oracle/prover.hpp"
#include "oracle/request_book.hpp"

namespace cvex::oracle {

struct OracleOptions {
    chain::Address coordinator;
    uint64_t start_block = 0;               // no request log before this block (the coordinator's deployment)
    uint64_t min_confirmations = 0;         // a floor over each request's own minConfirmations
    size_t max_batch = 100;                 // requests per transaction
    // A transaction's gas limit: below EIP-7825's cap (2^24 = 16,777,216 since Osaka). A limit
    // reserves room in a block, it is not paid: a batch of 100 requests without a callback
    // (≈ 131k of limit each, fulfilment_gas.hpp) fits, and uses ≈ 44k each.
    uint64_t max_batch_gas = 16'000'000;
    size_t max_in_flight = 4;               // fulfilment transactions awaiting receipts
    uint64_t max_log_range = 5'000;         // blocks per eth_getLogs
    std::chrono::milliseconds poll_interval{100};
    std::chrono::milliseconds receipt_timeout{60'000};
    uint64_t retry_blocks = 2;              // back-off after a failed attempt
    uint64_t blockhash_rescue_age = 200;    // store the request block's hash past this age (BLOCKHASH keeps 256)
    std::chrono::milliseconds key_check_interval{2'000};
    size_t replica_index = 0;               // this oracle's place among the replicas of the key
    size_t replica_count = 1;
    uint64_t takeover_blocks = 5;           // blocks past readiness before another replica's request is taken
};

class VrfOracle {
public:
    using Log = std::function<void(const std::string&)>;

    static cvex::Expected<std::unique_ptr<VrfOracle>, OracleError> create(OracleOptions options, std::shared_ptr<chain::EthClient> client,
                                                                           std::shared_ptr<chain::Sender> sender, Prover prover, Log log);
    ~VrfOracle();

    /// Rebuilds the state from the chain (pending ids, their logs); run once before polling.
    cvex::Expected<void, OracleError> resync();
    /// One round: receipts, reorg check, new logs, key and balance checks, submissions.
    void poll_once();
    /// resync() then poll_once() every poll_interval until stop(); waits for in-flight receipts.
    void run(const std::function<bool()>& stop);

    const OracleMetrics& metrics() const { return metrics_; }
    const Prover& prover() const { return prover_; }
    const chain::Hash32& key_hash() const { return prover_.key_hash(); }
    uint64_t cursor() const { return cursor_; }

private:
    struct InFlight {
        chain::PendingTx tx;
        std::vector<chain::U256> ids;  // empty: a transaction a previous run left in flight
        chain::TxRequest request;      // what was sent, to explain a revert (empty for a previous run's)
        std::future<cvex::Expected<chain::Receipt, chain::SendError>> receipt;
    };
    struct Fulfilled {
        VrfRequest request;
        uint64_t block = 0;
        chain::Hash32 block_hash;
    };

    VrfOracle(OracleOptions options, std::shared_ptr<chain::EthClient> client, std::shared_ptr<chain::Sender> sender, Prover prover, Log log);

    void collect_receipts(bool block);
    void handle_receipt(const InFlight& f, const chain::Receipt& r);
    bool check_reorg(uint64_t head);
    void rewind(uint64_t fork_block);
    void follow(uint64_t head);
    void on_request_log(const chain::Log& log);
    void on_fulfilled_log(const chain::Log& log);
    void check_key_and_balance();
    /// Empty when this oracle's fulfilments are accepted for the key; otherwise why not.
    std::string check_attestation(const chain::Address& record);
    std::optional<bool> attested_with_key(const chain::Address& who, std::string& error) const;
    void rescue_blockhashes(uint64_t head);
    void submit(uint64_t head);
    /// Whether this replica sends `r` at `head`: its own, or another's past the takeover threshold.
    bool takes(const VrfRequest& r, uint64_t head) const;
    bool is_primary(const chain::U256& id) const;
    bool canonical(const std::vector<VrfRequest>& batch);
    /// `r`'s fulfilment, or nullopt (logged, and `r` released for a later retry) when its block
    /// hash is no longer available or proving failed.
    std::optional<Fulfilment> prove_request(const VrfRequest& r, uint64_t head);
    void send_batch(const std::vector<Fulfilment>& batch, uint64_t head);
    void update_gauges();

    OracleOptions options_;
    std::shared_ptr<chain::EthClient> client_;
    std::shared_ptr<chain::Sender> sender_;
    Prover prover_;
    Log log_;
    CoordinatorClient coordinator_;
    std::optional<chain::Contract> registry_;
    CallbackReserve reserve_;                // the coordinator's, read at create()
    OracleMetrics metrics_;

    RequestBook book_;
    uint64_t cursor_ = 0;                    // the last block whose logs are processed
    uint64_t head_ = 0;
    std::map<uint64_t, chain::Hash32> recent_;  // block → hash, for reorg detection
    bool resynced_ = false;
    uint64_t rescan_head_ = 0;               // head at resync: older requests need the pending list
    std::set<chain::U256> resync_pending_;
    std::map<chain::U256, std::chrono::steady_clock::time_point> ready_since_;
    std::map<chain::U256, Fulfilled> fulfilled_;  // recent fulfilments, for reorgs and de-duplication
    std::vector<InFlight> in_flight_;
    std::set<uint64_t> stored_blockhashes_;
    bool key_usable_ = false;
    std::string key_problem_;
    std::chrono::steady_clock::time_point last_key_check_{};
    bool balance_low_ = false;
    bool held_logged_ = false;
};

}  // namespace cvex::oracle
