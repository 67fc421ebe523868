// The oracle's counters, in the Prometheus text exposition format (version 0.0.4) served on the
// guest's /metrics. Thread-safe: the oracle loop and its receipt waiters write, the HTTP thread
// reads.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>

#include "chain/types/u256.hpp"

namespace cvex::oracle {

/// A cumulative histogram with fixed upper bounds (the last bucket is +Inf).
template <size_t N>
struct Histogram {
    std::array<double, N> bounds;
    std::array<uint64_t, N + 1> counts{};
    double sum = 0;
    uint64_t count = 0;
    void observe(double v) {
        size_t i = 0;
        while (i < N && v > bounds[i]) ++i;
        ++counts[i];
        sum += v;
        ++count;
    }
};

struct OracleCounters {
    uint64_t requests_seen = 0;       // requests for this key the follower found
    uint64_t requests_fulfilled = 0;  // fulfilments for this key seen on chain
    uint64_t requests_failed = 0;     // fulfilment attempts that did not fulfil (retried)
    uint64_t callbacks_failed = 0;    // fulfilled, but the consumer's callback failed (CallbackFailed)
    uint64_t requests_foreign = 0;    // requests for other keys, skipped
    uint64_t requests_taken_over = 0; // another replica's requests this one sent after the takeover threshold
    uint64_t requests_dropped = 0;    // vanished in a reorg
    uint64_t reorgs = 0;
    uint64_t transactions = 0;        // fulfilment transactions mined
    uint64_t gas_used = 0;            // by those transactions
    chain::U256 gas_spent_wei;        // gas_used × effective gas price
    uint64_t pending = 0;             // held in the book now
    uint64_t head = 0;
    bool balance_low = false;
    bool key_usable = false;          // registered, active and attested
    // Latency from the request's confirmation block to the fulfilment's block.
    Histogram<6> latency_blocks{{0, 1, 2, 3, 5, 10}};
    // Seconds from the oracle seeing the request confirmed to seeing the fulfilment mined.
    Histogram<8> latency_seconds{{0.25, 0.5, 1, 2, 5, 10, 30, 60}};
};

class OracleMetrics {
public:
    template <typename F>
    void update(F&& f) {
        std::lock_guard lock(mutex_);
        f(counters_);
    }
    OracleCounters snapshot() const {
        std::lock_guard lock(mutex_);
        return counters_;
    }
    /// Prometheus text for all counters, names prefixed `cvex_oracle_`.
    std::string prometheus() const;

private:
    mutable std::mutex mutex_;
    OracleCounters counters_;
};

}  // namespace cvex::oracle
