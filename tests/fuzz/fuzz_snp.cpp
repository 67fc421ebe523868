// Fuzz target `snp`: the SEV-SNP ATTESTATION_REPORT parser (attest/report/snp_report.hpp) — what
// a guest's report looks like after the host has had its hands on it. An accepted report must
// serialise back to exactly its 1184 bytes, and what the verifier derives from it (product, TCB
// layout and parts, the policy checks) must be computable for any accepted report.
#include <algorithm>

#include "attest/report/snp_report.hpp"
#include "attest/verify/snp_policy.hpp"
#include "fuzz_check.hpp"

using namespace cvex;
using namespace cvex::attest;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const ByteView in = cvex::fuzz::bytes(data, size);
    auto report = parse_report(in);
    if (!report) {
        CVEX_FUZZ_CHECK(!report.error().message().empty(), "a report error has a message");
        CVEX_FUZZ_CHECK(report.error().offset <= kSnpReportSize, "a report error points inside the report");
        return 0;
    }
    CVEX_FUZZ_CHECK(size == kSnpReportSize, "only 1184 bytes parse");
    const Bytes again = serialize_report(*report);
    CVEX_FUZZ_CHECK(again.size() == size && std::equal(again.begin(), again.end(), in.begin()),
                    "parse then serialise gives the same bytes");
    auto reparsed = parse_report(again);
    CVEX_FUZZ_CHECK(reparsed.has_value() && *reparsed == *report, "the serialisation parses to the same report");

    (void)to_string(report->signer.signing_key);
    (void)report->cpuid_product();
    for (auto product : {SnpProduct::kMilan, SnpProduct::kGenoa, SnpProduct::kTurin}) {
        const TcbLayout layout = report->layout(product);
        for (uint64_t tcb : {report->current_tcb, report->reported_tcb, report->committed_tcb, report->launch_tcb}) {
            const TcbParts parts = decode_tcb(tcb, layout);
            (void)describe_tcb(parts, layout);
            CVEX_FUZZ_CHECK(decode_tcb(encode_tcb(parts, layout), layout) == parts, "TCB parts round-trip");
        }
        const auto checks = evaluate_snp_policy(SnpPolicy{}, *report, product);
        for (const auto& c : checks) CVEX_FUZZ_CHECK(!c.name.empty(), "every policy check is named");
    }
    return 0;
}
