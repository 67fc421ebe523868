#include "bots/runner/drawdown.hpp"

namespace cvex::bots {

bool greater(const SignedU256& a, const SignedU256& b) {
    SignedU256 d = a;
    d -= b;
    return !d.negative && !d.magnitude.is_zero();
}

std::optional<std::string> DrawdownStop::sample(uint64_t block, uint64_t timestamp, const SignedU256& pnl) {
    if (stopped_) return std::nullopt;
    while (!samples_.empty() && samples_.front().first + config_.window_blocks < block) samples_.pop_front();
    samples_.emplace_back(block, pnl);
    // The loss is measured from the highest PnL seen within the window.
    const std::pair<uint64_t, SignedU256>* peak = &samples_.front();
    for (const auto& s : samples_)
        if (greater(s.second, peak->second)) peak = &s;
    SignedU256 loss = peak->second;
    loss -= pnl;
    if (loss.negative || !greater(loss, SignedU256{config_.max_loss, false})) return std::nullopt;
    stopped_ = true;
    stopped_block_ = block;
    stopped_at_ = timestamp;
    why_ = "lost " + loss.dec() + " base units since block " + std::to_string(peak->first) + " (PnL " + peak->second.dec() + " then, " + pnl.dec() +
           " at block " + std::to_string(block) + "), more than max_loss " + config_.max_loss.dec() + " within " +
           std::to_string(config_.window_blocks) + " blocks; resumes after " + std::to_string(config_.cooldown_s) +
           " s of block time or when the vault's owner unpauses it after a pause";
    return why_;
}

std::optional<std::string> DrawdownStop::maybe_resume(uint64_t timestamp, const std::optional<std::string>& resumed_by) {
    if (!stopped_) return std::nullopt;
    std::string line;
    if (resumed_by) line = "resumed on-chain by " + *resumed_by;
    else if (timestamp >= stopped_at_ + config_.cooldown_s) line = "cool-down of " + std::to_string(config_.cooldown_s) + " s over";
    else return std::nullopt;
    stopped_ = false;
    samples_.clear();  // a new window: the loss that stopped the bot is not counted twice
    why_.clear();
    return line;
}

}  // namespace cvex::bots
