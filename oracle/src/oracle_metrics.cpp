#include "oracle/oracle_metrics.hpp"

#include <sstream>

namespace cvex::oracle {

namespace {

void metric(std::ostringstream& m, const char* name, const char* type, const char* help, const std::string& value) {
    m << "# HELP cvex_oracle_" << name << ' ' << help << "\n# TYPE cvex_oracle_" << name << ' ' << type << "\ncvex_oracle_" << name << ' '
      << value << '\n';
}

template <size_t N>
void histogram(std::ostringstream& m, const char* name, const char* help, const Histogram<N>& h) {
    m << "# HELP cvex_oracle_" << name << ' ' << help << "\n# TYPE cvex_oracle_" << name << " histogram\n";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < N; ++i) {
        cumulative += h.counts[i];
        m << "cvex_oracle_" << name << "_bucket{le=\"" << h.bounds[i] << "\"} " << cumulative << '\n';
    }
    cumulative += h.counts[N];
    m << "cvex_oracle_" << name << "_bucket{le=\"+Inf\"} " << cumulative << '\n'
      << "cvex_oracle_" << name << "_sum " << h.sum << '\n'
      << "cvex_oracle_" << name << "_count " << h.count << '\n';
}

}  // namespace

std::string OracleMetrics::prometheus() const {
    const OracleCounters c = snapshot();
    std::ostringstream m;
    metric(m, "requests_seen_total", "counter", "Requests for this key found on chain.", std::to_string(c.requests_seen));
    metric(m, "requests_fulfilled_total", "counter", "Requests for this key fulfilled on chain.", std::to_string(c.requests_fulfilled));
    metric(m, "requests_taken_over_total", "counter", "Requests of another replica sent by this one after the takeover threshold.",
           std::to_string(c.requests_taken_over));
    metric(m, "requests_failed_total", "counter", "Fulfilment attempts that did not fulfil (the request is retried).",
           std::to_string(c.requests_failed));
    metric(m, "callbacks_failed_total", "counter", "Fulfilments whose consumer callback failed (words kept for redeliver).",
           std::to_string(c.callbacks_failed));
    metric(m, "requests_foreign_total", "counter", "Requests for other proving keys, skipped.", std::to_string(c.requests_foreign));
    metric(m, "requests_dropped_total", "counter", "Requests that vanished in a reorg.", std::to_string(c.requests_dropped));
    metric(m, "reorgs_total", "counter", "Reorgs detected by block hash.", std::to_string(c.reorgs));
    metric(m, "transactions_total", "counter", "Fulfilment transactions mined.", std::to_string(c.transactions));
    metric(m, "gas_used_total", "counter", "Gas used by fulfilment transactions.", std::to_string(c.gas_used));
    metric(m, "gas_spent_wei_total", "counter", "Wei spent on fulfilment gas.", c.gas_spent_wei.dec());
    metric(m, "requests_pending", "gauge", "Requests for this key awaiting fulfilment.", std::to_string(c.pending));
    metric(m, "head_block", "gauge", "The latest block the oracle has processed.", std::to_string(c.head));
    metric(m, "balance_low", "gauge", "1 when the balance cannot pay for the pending fulfilments.", c.balance_low ? "1" : "0");
    metric(m, "key_usable", "gauge", "1 when the proving key is registered, active and attested.", c.key_usable ? "1" : "0");
    histogram(m, "latency_blocks", "Blocks from a request's confirmation block to its fulfilment.", c.latency_blocks);
    histogram(m, "latency_seconds", "Seconds from seeing a request confirmed to seeing it fulfilled.", c.latency_seconds);
    return m.str();
}

}  // namespace cvex::oracle
