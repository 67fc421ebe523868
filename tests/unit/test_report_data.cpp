// REPORT_DATA binds chain, registry, enclave key and nonce (first half) and further keys (second half).
#include <catch2/catch.hpp>

#include "chain/crypto/keccak.hpp"
#include "attest/report/report_data.hpp"

using namespace cvex::attest;
using namespace cvex;
using namespace cvex::chain;

namespace {
ReportDataBinding sample() {
    ReportDataBinding b;
    b.chain_id = 31337;
    b.registry = *Address::parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    b.enclave = *Address::parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    b.nonce.bytes[31] = 7;
    b.bound_data.bytes[0] = 0xbd;
    return b;
}
}  // namespace

TEST_CASE("the registration digest is keccak256 of the ABI-encoded binding") {
    // Computed independently: cast keccak $(cast abi-encode "f(bytes32,uint256,address,address,bytes32)"
    //   $(cast keccak cvex.attestation.v1) 31337 0x5FbDB2315678afecb367f032d93F642f64180aa3
    //   0x70997970C51812dc3A010C7d01b50e0d17dc79C8 0x...07)
    CHECK(attestation_domain_tag() == keccak256(as_view("cvex.attestation.v1")));
    CHECK(registration_digest(sample()).hex() == "0x968750cd987f7752d341279f8fd47a25fda503f82bcabc0dedb834c6a74612b2");
}

TEST_CASE("REPORT_DATA carries the digest then the bound data") {
    const ReportData rd = make_report_data(sample());
    const Hash32 first = registration_digest(sample());
    CHECK(std::equal(first.bytes.begin(), first.bytes.end(), rd.begin()));
    CHECK(rd[32] == 0xbd);
}

TEST_CASE("changing any bound field changes REPORT_DATA") {
    const ReportData base = make_report_data(sample());
    auto b = sample();
    b.chain_id = 1;
    CHECK(make_report_data(b) != base);
    b = sample();
    b.registry.bytes[0] ^= 1;
    CHECK(make_report_data(b) != base);
    b = sample();
    b.enclave.bytes[19] ^= 1;
    CHECK(make_report_data(b) != base);
    b = sample();
    b.nonce.bytes[0] ^= 1;
    CHECK(make_report_data(b) != base);
    b = sample();
    b.bound_data.bytes[31] ^= 1;
    CHECK(make_report_data(b) != base);
}
