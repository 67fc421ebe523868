// Transaction signing and decoding. Targets (issue 2): build + hash + sign + encode an EIP-1559
// transfer <= 40 us; decode a signed one and recover its sender <= 60 us. The peer in the same
// run is ethers.js 6 (tests/bench/ethers_tx.mjs, run by scripts/bench.sh).
#include <benchmark/benchmark.h>

#include "chain/crypto/local_key.hpp"
#include "chain/tx/transaction.hpp"

using namespace cvex;
using namespace cvex::chain;

namespace {

const LocalKey& key() {
    static const LocalKey k = *LocalKey::from_hex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    return k;
}

Transaction transfer(uint64_t nonce) {
    Transaction tx;
    tx.type = TxType::kDynamicFee;
    tx.chain_id = 1;
    tx.nonce = nonce;
    tx.max_priority_fee_per_gas = U256(2'000'000'000);
    tx.max_fee_per_gas = U256(30'000'000'000);
    tx.gas_limit = 21000;
    tx.to = *Address::parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    tx.value = *U256::parse("1000000000000000000");
    return tx;
}

void BM_build_sign_encode_eip1559(benchmark::State& state) {
    uint64_t nonce = 0;
    for (auto _ : state) {
        auto signed_tx = sign_transaction(transfer(nonce++), key());
        benchmark::DoNotOptimize(signed_tx->encode());
    }
}

void BM_decode_recover_eip1559(benchmark::State& state) {
    const Bytes raw = sign_transaction(transfer(7), key())->encode();
    for (auto _ : state) {
        auto tx = decode_transaction(raw);
        benchmark::DoNotOptimize(tx->sender());
    }
}

}  // namespace

BENCHMARK(BM_build_sign_encode_eip1559)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_decode_recover_eip1559)->Unit(benchmark::kMicrosecond);
BENCHMARK_MAIN();
