#include "oracle/fulfilment_gas.hpp"

namespace cvex::oracle {

namespace {

// Measured with eth_estimateGas against the coordinator (tests/integration/test_oracle_gas.cpp),
// then given head room; the test holds the limit above every measurement.
// - The transaction: 21,000 (intrinsic) and, for a batch, its array heads and loop.
constexpr uint64_t kTxBaseGas = 21'000;
constexpr uint64_t kBatchBaseGas = 10'000;
// - An entry's calldata, every byte taken as nonzero (16 gas, EIP-2028): the proof's 20 static
//   words, the commitment's 9, the witness array's length and offsets (32 words); one more word
//   per rejected hash-to-curve candidate. Above the EIP-7623 floor (10 gas per token, 4 tokens a
//   nonzero byte) once the work below is added.
constexpr uint64_t kEntryCalldataGas = 32 * 32 * 16;
constexpr uint64_t kWitnessCalldataGas = 32 * 16;
// - An entry's work before and after its callback besides the reserve: the commitment, the
//   submitter's attestation (a registry call), the verifier, the words, the charge and the event.
constexpr uint64_t kEntryWorkGas = 60'000;
// - Per rejected hash-to-curve candidate: its hash, the witness check and copying (≈ 1.2k).
constexpr uint64_t kWitnessWorkGas = 2'000;
// - Per word: deriving it, and the memory of the words and of the callback's arguments (≈ 380
//   at MAX_NUM_WORDS, where the memory's quadratic part is largest).
constexpr uint64_t kWordWorkGas = 450;

uint64_t ceil_64_63(uint64_t gas) { return (gas * 64 + 62) / 63; }

}  // namespace

uint64_t entry_gas_limit(const VrfRequest& request, size_t hash_to_curve_counter, const CallbackReserve& reserve) {
    const uint64_t counter = hash_to_curve_counter;
    const uint64_t calldata = kEntryCalldataGas + kWitnessCalldataGas * counter;
    const uint64_t at_callback = ceil_64_63(request.callback_gas_limit) + reserve.exact_check + reserve.after_callback +
                                 reserve.after_callback_per_word * request.num_words;
    // In a batch each entry is a call to the coordinator itself, which passes on at most 63/64 of
    // what is left (EIP-150): the whole entry is counted at 64/63.
    return calldata + ceil_64_63(kEntryWorkGas + kWitnessWorkGas * counter + kWordWorkGas * request.num_words + at_callback);
}

uint64_t fulfilment_base_gas(size_t entries) { return kTxBaseGas + (entries > 1 ? kBatchBaseGas : 0); }

uint64_t fulfilment_gas_limit(const std::vector<Fulfilment>& batch, const CallbackReserve& reserve) {
    uint64_t gas = fulfilment_base_gas(batch.size());
    for (const auto& f : batch) gas += entry_gas_limit(f.request, f.proof.h_non_residue.size(), reserve);
    return gas;
}

}  // namespace cvex::oracle
