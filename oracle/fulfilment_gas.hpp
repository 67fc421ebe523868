// The gas limit of a fulfilment transaction. An explicit limit, not an estimate: estimating a
// batch finds the least gas at which it does not revert, and with too little gas a batch's
// entries are skipped instead. A limit is not what is paid: unused gas costs nothing.
//
// At its callback the coordinator needs 64/63 of the callback's gas limit plus what it keeps back
// (GAS_FOR_CALL_EXACT_CHECK, GAS_AFTER_CALLBACK + GAS_AFTER_CALLBACK_PER_WORD·numWords) left, or
// the entry reverts InsufficientGasForConsumer (alone: the transaction reverts; in a batch: the
// entry is skipped). Those figures are read from the coordinator (CallbackReserve), so the oracle
// follows a coordinator that changes them. The entry's own work grows with the proof's
// hash-to-curve counter (one non-residue witness, its calldata and its checks per rejected
// candidate): a proof with a high counter needs more, every time it is retried.
#pragma once

#include <cstdint>
#include <vector>

#include "oracle/prover.hpp"

namespace cvex::oracle {

/// What the coordinator keeps back around a consumer's callback: VRFRequestLedger's constants,
/// as CoordinatorClient::callback_reserve() reads them (no copies here: a stale copy of
/// GAS_AFTER_CALLBACK was CI stop 27's failure).
struct CallbackReserve {
    uint64_t exact_check = 0;              // GAS_FOR_CALL_EXACT_CHECK
    uint64_t after_callback = 0;           // GAS_AFTER_CALLBACK
    uint64_t after_callback_per_word = 0;  // GAS_AFTER_CALLBACK_PER_WORD
};

/// Gas one entry may need inside the transaction: its calldata, its work, the reserve and its
/// callback.
uint64_t entry_gas_limit(const VrfRequest& request, size_t hash_to_curve_counter, const CallbackReserve& reserve);
/// What a transaction of `entries` entries needs besides them: the intrinsic 21,000 and, for a
/// batch, its array heads and loop.
uint64_t fulfilment_base_gas(size_t entries);
/// The limit of one transaction fulfilling `batch` (alone: fulfillRandomWords; several:
/// fulfillRandomWordsBatch): its base and its entries.
uint64_t fulfilment_gas_limit(const std::vector<Fulfilment>& batch, const CallbackReserve& reserve);
/// The hash-to-curve counter assumed for a request not yet proven (a rough figure for the
/// balance warning: the counter is 1 on average, and above 2 one time in eight).
constexpr size_t kTypicalHashToCurveCounter = 2;

}  // namespace cvex::oracle
