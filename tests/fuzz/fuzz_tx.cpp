// Fuzz target `tx`: raw signed transactions of every type cvex knows (legacy with and without
// EIP-155, EIP-2930, EIP-1559; others must be refused as kUnsupportedType). decode_transaction is
// strict, so an accepted transaction re-encodes to exactly its bytes, and what is derived from it
// (hash, signing hash, sender recovery, intrinsic gas) must be computable on any such input.
#include <algorithm>

#include "chain/crypto/keccak.hpp"
#include "chain/tx/transaction.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::chain;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView raw = cvex::fuzz::bytes(data, size);
    auto tx = decode_transaction(raw);
    if (!tx) {
        CVEX_FUZZ_CHECK(!tx.error().message().empty(), "a transaction error has a message");
        return 0;
    }
    CVEX_FUZZ_CHECK(tx->signature.has_value(), "a decoded transaction is signed");
    const Bytes again = tx->encode();
    CVEX_FUZZ_CHECK(again.size() == size && std::equal(again.begin(), again.end(), raw.begin()),
                    "decode then encode gives the same bytes");
    CVEX_FUZZ_CHECK(tx->hash() == keccak256(again), "the hash is keccak256 of the raw bytes");
    (void)tx->signing_hash();
    (void)tx->intrinsic_gas();
    if (tx->type == TxType::kLegacy) (void)tx->legacy_v();

    // Recovery may fail (r, s need not be on the curve); when it succeeds it is deterministic.
    auto sender = tx->sender();
    if (sender) {
        auto twice = tx->sender();
        CVEX_FUZZ_CHECK(twice && *twice == *sender, "the sender recovers the same twice");
    }
    auto again_tx = decode_transaction(again);
    CVEX_FUZZ_CHECK(again_tx.has_value() && again_tx->encode() == again, "the re-encoding decodes to the same bytes");
    return 0;
}
