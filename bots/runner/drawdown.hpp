// The drawdown stop (issue 18 §5): per bot, a maximum loss over a window of blocks, in the base
// token at the vault's reference price (realised + revaluation, report/pnl.hpp). Past it the bot
// stops trading and says why; it resumes only after a cool-down (by block time) or when the
// vault's owner records a resume on-chain (a VaultUnpaused after the stop: the guardian pauses,
// the owner unpauses). The window restarts at a resume, so an old loss does not trip it again.
// Pure state: the runner feeds it PnL samples and the chain's answers.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

#include "bots/report/pnl.hpp"

namespace cvex::bots {

struct DrawdownConfig {
    chain::U256 max_loss;         // base-token units
    uint64_t window_blocks = 600;  // the loss is measured from the highest PnL within this many blocks
    uint64_t cooldown_s = 3600;    // block time after a stop before trading resumes by itself
};

class DrawdownStop {
public:
    explicit DrawdownStop(DrawdownConfig config) : config_(config) {}

    /// The PnL (realised + revaluation) at `block` (`timestamp`); the reason when this sample trips the stop.
    std::optional<std::string> sample(uint64_t block, uint64_t timestamp, const SignedU256& pnl);
    /// While stopped: resumes when the cool-down has passed at `timestamp`, or `resumed_by` (the
    /// address of an on-chain resume after the stop) is given. The line to log when it resumes.
    std::optional<std::string> maybe_resume(uint64_t timestamp, const std::optional<std::string>& resumed_by);

    bool stopped() const { return stopped_; }
    uint64_t stopped_block() const { return stopped_block_; }
    const std::string& why() const { return why_; }
    const DrawdownConfig& config() const { return config_; }

private:
    DrawdownConfig config_;
    std::deque<std::pair<uint64_t, SignedU256>> samples_;  // oldest first, within the window
    bool stopped_ = false;
    uint64_t stopped_block_ = 0, stopped_at_ = 0;
    std::string why_;
};

/// a > b for signed amounts.
bool greater(const SignedU256& a, const SignedU256& b);

}  // namespace cvex::bots
